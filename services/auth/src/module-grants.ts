import type { Clock, HttpClient, Logger } from '@lift/kit';
import { acceptedModuleGrants, declaredPlatformAccess, noGrants, type DroppedGrant, type ModuleGrantEntry, type RoleGrants } from './module-grant-rules.js';
import type { TenantRole } from './permissions.js';
import { selfSignedServiceTokens } from './service-self-token.js';
import type { TokenIssuer } from './token-issuer.js';

export interface ModuleGrants {
  /** The module permissions a role holds, from every registered module's manifest. */
  forRole(role: TenantRole): Promise<readonly string[]>;
  /**
   * The core-service permissions a module's manifest declares it needs on its callers' behalf
   * (`memoryRequirements`): what a token exchanged by that module may carry at most.
   */
  platformAccessOf(moduleId: string): Promise<readonly string[]>;
}


// The same refused grants are logged again at most this often (the table is read every 10 s).
const repeatWarningMs = 10 * 60_000;

/**
 * Module permissions reach tenant roles through the modules' manifests (the registry's route
 * table carries each module's role grants), filtered by `acceptedModuleGrants`. Read at most every
 * `refreshMs`; a token is never held up by a slow registry for more than `timeoutMs`, and when the
 * registry cannot be reached the last known grants are used (none before the first answer).
 */
export function moduleGrants(options: { registryUrl: string; http: HttpClient; issuer: TokenIssuer; clock: Clock; log: Logger; refreshMs?: number; timeoutMs?: number }): ModuleGrants {
  const refreshMs = options.refreshMs ?? 10_000;
  const tokens = selfSignedServiceTokens(options.issuer, options.clock, ['registry:routes']);
  let known: RoleGrants = noGrants();
  let platformAccess = new Map<string, readonly string[]>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let warned = { about: '', at: Number.NEGATIVE_INFINITY };

  const warnAbout = (dropped: readonly DroppedGrant[]): void => {
    const about = JSON.stringify(dropped);
    const now = options.clock.now();
    if (dropped.length === 0 || (about === warned.about && now - warned.at < repeatWarningMs)) return;
    warned = { about, at: now };
    options.log.warn({ dropped }, 'module role grants outside the module\'s own namespace were ignored; fix those manifests in the registry');
  };

  const refresh = async (): Promise<void> => {
    const accessToken = await tokens.token();
    const answer = await options.http.call(`${options.registryUrl.replace(/\/$/, '')}/v1/route-table`, { headers: { authorization: `Bearer ${accessToken}` }, timeoutMs: options.timeoutMs ?? 2_000 });
    if (answer.status === 401) tokens.refused(accessToken);
    if (answer.status !== 200) throw new Error(`registry answered ${answer.status}`);
    const table = await answer.json<{ modules?: unknown }>();
    if (!Array.isArray(table.modules)) throw new Error('the registry\'s route table has no module list');
    const { grants, dropped } = acceptedModuleGrants(table.modules as ModuleGrantEntry[]);
    known = grants;
    platformAccess = declaredPlatformAccess(table.modules as ModuleGrantEntry[]);
    warnAbout(dropped);
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
