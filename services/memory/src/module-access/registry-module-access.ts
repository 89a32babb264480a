import type { Clock, HttpClient, Logger, ServiceTokenSource } from '@lift/kit';
import { modulesUnavailable, type ModuleAccessSource, type ModuleMemoryAccess } from './module-memory-access.js';

interface RouteTableEntry {
  readonly moduleId?: unknown;
  readonly memoryRequirements?: unknown;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * Every registered module's `memoryRequirements`, from the registry's route table (the table the
 * gateway and auth read), with the memory service's own token. Read at most every `refreshMs`;
 * when the registry cannot answer the last known table is used, and before any answer a module's
 * token is refused with 503 (failing closed: an unknown module gets nothing).
 */
export function registryModuleAccess(options: { registryUrl: string; http: HttpClient; tokens: ServiceTokenSource; clock: Clock; log: Logger; refreshMs: number }): ModuleAccessSource {
  const base = options.registryUrl.replace(/\/$/, '');
  let known: Map<string, ModuleMemoryAccess> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const refresh = async (): Promise<void> => {
    const token = await options.tokens.token();
    const answer = await options.http.call(`${base}/v1/route-table`, { headers: { authorization: `Bearer ${token}` }, timeoutMs: 2_000 });
    if (answer.status === 401) options.tokens.refused(token);
    if (answer.status !== 200) throw new Error(`registry answered ${answer.status}`);
    const table = await answer.json<{ modules?: unknown }>();
    if (!Array.isArray(table.modules)) throw new Error('the registry\'s route table has no module list');
    known = new Map(
      (table.modules as RouteTableEntry[])
        .filter((entry): entry is RouteTableEntry & { moduleId: string } => typeof entry.moduleId === 'string')
        .map((entry) => {
          const needs = (typeof entry.memoryRequirements === 'object' && entry.memoryRequirements !== null ? entry.memoryRequirements : {}) as Record<string, unknown>;
          return [entry.moduleId, { memoryTypes: strings(needs.memoryTypes), searchTypes: strings(needs.searchTypes) }];
        }),
    );
  };

  return {
    async accessOf(moduleId) {
      if (options.clock.now() - fetchedAt >= options.refreshMs) {
        fetchedAt = options.clock.now();
        inFlight ??= refresh()
          .catch((error: unknown) => {
            options.log.warn({ err: error }, 'the modules\' memory requirements could not be read from the registry; the last known are used');
            if (known === undefined) fetchedAt = Number.NEGATIVE_INFINITY;
            throw error;
          })
          .finally(() => (inFlight = undefined));
        try {
          await inFlight;
        } catch (error) {
          if (known === undefined) throw modulesUnavailable(error);
        }
      }
      if (known === undefined) throw modulesUnavailable(new Error('the registry has not answered yet'));
      return known.get(moduleId);
    },
  };
}
