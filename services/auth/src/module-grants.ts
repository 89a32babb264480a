import type { Clock, HttpClient, Logger } from '@lift/kit';
import type { TenantRole } from './permissions.js';
import { selfSignedServiceTokens } from './service-self-token.js';
import type { TokenIssuer } from './token-issuer.js';

type Grants = Record<TenantRole, string[]>;

export interface ModuleGrants {
  /** The module permissions a role holds, from every registered module's manifest. */
  forRole(role: TenantRole): Promise<readonly string[]>;
  /**
   * The core-service permissions a module's manifest declares it needs on its callers' behalf
   * (`memoryRequirements`): what a token exchanged by that module may carry at most.
   */
  platformAccessOf(moduleId: string): Promise<readonly string[]>;
}

interface MemoryRequirements {
  readonly read?: boolean;
  readonly write?: boolean;
}

/** `memoryRequirements` → the memory service's permissions it implies. */
function memoryPermissions(requirements: MemoryRequirements | null | undefined): string[] {
  return [...(requirements?.read ? ['memory:read'] : []), ...(requirements?.write ? ['memory:write'] : [])];
}

/**
 * Module permissions reach tenant roles through the modules' manifests (the registry's route
 * table carries each module's role grants). Read at most every `refreshMs`; a token is never held
 * up by a slow registry for more than `timeoutMs`, and when the registry cannot be reached the last
 * known grants are used (none before the first answer).
 */
export function moduleGrants(options: { registryUrl: string; http: HttpClient; issuer: TokenIssuer; clock: Clock; log: Logger; refreshMs?: number; timeoutMs?: number }): ModuleGrants {
  const refreshMs = options.refreshMs ?? 10_000;
  const tokens = selfSignedServiceTokens(options.issuer, options.clock, ['registry:routes']);
  let known: Grants = { owner: [], admin: [], member: [], viewer: [] };
  let platformAccess = new Map<string, readonly string[]>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const refresh = async (): Promise<void> => {
    const accessToken = await tokens.token();
    const answer = await options.http.call(`${options.registryUrl.replace(/\/$/, '')}/v1/route-table`, { headers: { authorization: `Bearer ${accessToken}` }, timeoutMs: options.timeoutMs ?? 2_000 });
    if (answer.status !== 200) throw new Error(`registry answered ${answer.status}`);
    const table = await answer.json<{ modules: { moduleId: string; roles?: Partial<Grants>; memoryRequirements?: MemoryRequirements | null }[] }>();
    const next: Grants = { owner: [], admin: [], member: [], viewer: [] };
    const access = new Map<string, readonly string[]>();
    for (const module of table.modules) {
      for (const role of Object.keys(next) as TenantRole[]) next[role].push(...(module.roles?.[role] ?? []));
      access.set(module.moduleId, memoryPermissions(module.memoryRequirements));
    }
    known = next;
    platformAccess = access;
  };

  const current = async (): Promise<void> => {
    if (options.clock.now() - fetchedAt >= refreshMs) {
      fetchedAt = options.clock.now();
      inFlight ??= refresh()
        .catch((error: unknown) => options.log.warn({ err: error }, 'module permissions could not be read from the registry; using the last known'))
        .finally(() => (inFlight = undefined));
      await inFlight;
    }
  };

  return {
    async forRole(role) {
      await current();
      return known[role];
    },
    async platformAccessOf(moduleId) {
      await current();
      return platformAccess.get(moduleId) ?? [];
    },
  };
}
