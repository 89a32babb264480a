import type { HttpClient, ServiceTokenSource } from '@lift/kit';
import type { Logger } from 'pino';
import type { TargetState } from './monitoring-tables.js';

export interface ModuleHealth {
  readonly moduleId: string;
  readonly state: TargetState;
  readonly since: string;
  readonly detail: string | null;
}

/** The modules' health as the registry knows it; undefined when it cannot be read now. */
export type ModuleHealthSource = () => Promise<readonly ModuleHealth[] | undefined>;

interface HealthSummary {
  readonly modules: readonly { moduleId: string; status: 'unknown' | 'healthy' | 'unhealthy'; enabled: boolean; since: string; lastError: string | null }[];
}

const stateOf = { healthy: 'up', unhealthy: 'down', unknown: 'unknown' } as const;

/**
 * The registry probes the modules and keeps their history; this reads its summary
 * (`GET /v1/health-summary`, registry:read) with observability's own service token, and never
 * probes a module itself.
 */
export function registryModuleHealth(options: { http: HttpClient; registryUrl: string; tokens: ServiceTokenSource | undefined; timeoutMs: number; log: Logger }): ModuleHealthSource {
  const { tokens } = options;
  if (!tokens) {
    options.log.warn('SERVICE_CLIENT_SECRETS has no secret for observability: the registry cannot be asked for the modules\' health, so modules show as unknown');
    return async () => undefined;
  }
  let failing = false;
  return async () => {
    try {
      const token = await tokens.token();
      const answer = await options.http.call(`${options.registryUrl}/v1/health-summary`, { headers: { authorization: `Bearer ${token}` }, timeoutMs: options.timeoutMs, signal: AbortSignal.timeout(options.timeoutMs), maxResponseBytes: 4 * 1024 * 1024 });
      if (answer.status === 401) tokens.refused(token);
      if (answer.status !== 200) throw new Error(`the registry answered ${answer.status}`);
      const summary = await answer.json<HealthSummary>();
      if (failing) options.log.info('the registry answers about the modules\' health again');
      failing = false;
      return summary.modules.map((module) => ({
        moduleId: module.moduleId,
        state: module.enabled ? stateOf[module.status] : 'disabled',
        since: module.since,
        detail: module.lastError,
      }));
    } catch (error) {
      // Said once per outage, not once per round.
      if (!failing) options.log.warn({ err: error }, 'the modules\' health cannot be read from the registry: they show as unknown until it answers');
      failing = true;
      return undefined;
    }
  };
}
