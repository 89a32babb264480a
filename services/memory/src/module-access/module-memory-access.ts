import { DependencyUnavailableError, ForbiddenError, type Identity } from '@lift/kit';
import { memoryErrorCodes } from '../errors.js';
import type { SearchModeName, SearchRequest } from '../schemas.js';

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

/**
 * Refuses a module's search in a mode its manifest does not list (`searchTypes`). A hybrid search
 * cannot be weighted into another kind either (review of issue #14: weights of 0 but one signal,
 * or a space and point, made `hybrid` a neural or conceptual search): its custom weights need
 * every kind hybrid fuses declared, and a space and point need `conceptual`. `field` is where the
 * search sits in the request (`body`, `body.queries[2]`).
 */
export async function assertModuleMaySearch(source: ModuleAccessSource, identity: Identity, searches: readonly { search: SearchRequest; field: string }[]): Promise<void> {
  const moduleId = actingModule(identity);
  if (moduleId === undefined) return;
  const access = await accessFor(source, moduleId);
  const refuse = (what: string, field: string) =>
    new ForbiddenError(memoryErrorCodes.moduleNotAllowed, `Module ${moduleId} may not ${what}: its manifest's memoryRequirements.searchTypes lists ${describe(access.searchTypes)}.`, { extensions: { field } });
  for (const { search, field } of searches) {
    const mode = search.mode ?? 'hybrid';
    const kind = searchKindOfMode[mode];
    if (!access.searchTypes.includes(kind)) throw refuse(`search in mode "${mode}" ("${kind}")`, `${field}.mode`);
    if (mode !== 'hybrid') continue;
    if ((search.space !== undefined || search.point !== undefined) && !access.searchTypes.includes('conceptual')) throw refuse('search a conceptual space', `${field}.space`);
    const weighted = Object.keys(search.weights ?? {}).filter((signal) => signal !== 'dimensions');
    const undeclared = ['text', 'vector', 'graph', ...(weighted.includes('conceptual') ? ['conceptual'] : [])].filter((needed) => !access.searchTypes.includes(needed));
    if (weighted.length > 0 && undeclared.length > 0) throw refuse(`weigh a hybrid search without declaring ${undeclared.map((needed) => `"${needed}"`).join(', ')}`, `${field}.weights`);
  }
}

/** Any memory route: a module's delegated token only for a module the registry knows. */
export async function assertRegisteredModule(source: ModuleAccessSource, identity: Identity): Promise<void> {
  const moduleId = actingModule(identity);
  if (moduleId !== undefined) await accessFor(source, moduleId);
}

/** Routes for people only (defining or deleting spaces changes memories of every type): never a module's token. */
export function assertNotModule(identity: Identity, doing: string): void {
  const moduleId = actingModule(identity);
  if (moduleId !== undefined) throw new ForbiddenError(memoryErrorCodes.moduleNotAllowed, `Module ${moduleId} may not ${doing}: that is for people of the organisation.`);
}

function describe(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.map((value) => `"${value}"`).join(', ');
}

/** When nothing is known of the modules yet and the registry cannot say: module tokens wait, others do not. */
export function modulesUnavailable(cause: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(memoryErrorCodes.modulesUnavailable, 'What this module may do with memory cannot be read from the registry right now; retry shortly.', { cause, headers: { 'retry-after': '5' } });
}
