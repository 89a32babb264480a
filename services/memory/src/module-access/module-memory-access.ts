import { DependencyUnavailableError, ForbiddenError, type Identity } from '@lift/kit';
import { memoryErrorCodes } from '../errors.js';
import type { SearchModeName } from '../schemas.js';

/** A manifest's `searchTypes` names for memory's search modes. */
export const searchKindOfMode: Record<SearchModeName, string> = { fulltext: 'text', neural: 'vector', knowledge: 'graph', hybrid: 'hybrid', conceptual: 'conceptual' };

/** What a module's manifest (`memoryRequirements`) lets it do with memory for its callers. */
export interface ModuleMemoryAccess {
  /** The memory types it may write (store, change, delete); none declared, none writable. */
  readonly memoryTypes: readonly string[];
  /** The search kinds it may use (`text`, `vector`, `graph`, `conceptual`, `hybrid`). */
  readonly searchTypes: readonly string[];
}

export interface ModuleAccessSource {
  /** The module's declared access; undefined when the registry knows no such module. */
  accessOf(moduleId: string): Promise<ModuleMemoryAccess | undefined>;
}

/** The module a delegated token acts through (`act.sub`), if any: only such tokens are held to a manifest. */
export function actingModule(identity: Identity): string | undefined {
  if (identity.actor === undefined) return undefined;
  return identity.actor.startsWith('module:') ? identity.actor.slice('module:'.length) : identity.actor;
}

async function accessFor(source: ModuleAccessSource, moduleId: string): Promise<ModuleMemoryAccess> {
  const access = await source.accessOf(moduleId);
  if (!access) throw new ForbiddenError(memoryErrorCodes.moduleNotAllowed, `Module ${moduleId} is not registered: its tokens may not use memory.`);
  return access;
}

/** Refuses a module's write of a memory type its manifest does not list (`memoryTypes`). */
export async function assertModuleMayWrite(source: ModuleAccessSource, identity: Identity, types: readonly { type: string; field: string }[]): Promise<void> {
  const moduleId = actingModule(identity);
  if (moduleId === undefined) return;
  const access = await accessFor(source, moduleId);
  for (const { type, field } of types) {
    if (!access.memoryTypes.includes(type)) {
      throw new ForbiddenError(memoryErrorCodes.moduleNotAllowed, `Module ${moduleId} may not write memories of type "${type}": its manifest's memoryRequirements.memoryTypes lists ${describe(access.memoryTypes)}.`, { extensions: { field } });
    }
  }
}

/** Refuses a module's search in a mode its manifest does not list (`searchTypes`). */
export async function assertModuleMaySearch(source: ModuleAccessSource, identity: Identity, modes: readonly { mode: SearchModeName; field: string }[]): Promise<void> {
  const moduleId = actingModule(identity);
  if (moduleId === undefined) return;
  const access = await accessFor(source, moduleId);
  for (const { mode, field } of modes) {
    const kind = searchKindOfMode[mode];
    if (!access.searchTypes.includes(kind)) {
      throw new ForbiddenError(memoryErrorCodes.moduleNotAllowed, `Module ${moduleId} may not search in mode "${mode}": its manifest's memoryRequirements.searchTypes lists ${describe(access.searchTypes)}, not "${kind}".`, { extensions: { field } });
    }
  }
}

function describe(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.map((value) => `"${value}"`).join(', ');
}

/** When nothing is known of the modules yet and the registry cannot say: module tokens wait, others do not. */
export function modulesUnavailable(cause: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(memoryErrorCodes.modulesUnavailable, 'What this module may do with memory cannot be read from the registry right now; retry shortly.', { cause, headers: { 'retry-after': '5' } });
}
