import type { HttpClient, ServiceTokenSource } from '@lift/kit';
import type { Logger } from 'pino';
import type { ScrapeTarget } from './self-scraped-metrics.js';

interface DiscoveredTargets {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The six services, then every enabled module as the registry's Prometheus discovery lists it
 * (`GET /v1/prometheus/targets`, registry:read, with observability's service token): the same
 * targets a Prometheus finds. Without a token or an answer, the services alone.
 */
export function scrapeTargets(options: { http: HttpClient; services: Readonly<Record<string, string>>; registryUrl: string; tokens: ServiceTokenSource | undefined; timeoutMs: number; log: Logger }): () => Promise<ScrapeTarget[]> {
  const services = Object.entries(options.services).map(([name, url]): ScrapeTarget => ({ name, service: name, metricsUrl: `${url}/metrics`, ...(name === 'observability' ? { carriesPushed: true } : {}) }));
  const { tokens } = options;
  let failing = false;
  const modules = async (): Promise<ScrapeTarget[]> => {
    if (!tokens) return [];
    try {
      const token = await tokens.token();
      const answer = await options.http.call(`${options.registryUrl}/v1/prometheus/targets`, { headers: { authorization: `Bearer ${token}` }, timeoutMs: options.timeoutMs, signal: AbortSignal.timeout(options.timeoutMs), maxResponseBytes: 4 * 1024 * 1024 });
      if (answer.status === 401) tokens.refused(token);
      if (answer.status !== 200) throw new Error(`the registry answered ${answer.status}`);
      const groups = await answer.json<DiscoveredTargets[]>();
      failing = false;
      return groups.flatMap((group) => {
        const module = group.labels.module;
        if (module === undefined) return [];
        const scheme = group.labels.__scheme__ ?? 'http';
        const path = group.labels.__metrics_path__ ?? '/metrics';
        return group.targets.map((host) => ({ name: `module:${module}`, service: module, metricsUrl: `${scheme}://${host}${path}` }));
      });
    } catch (error) {
      // Said once per outage, not once per round.
      if (!failing) options.log.warn({ err: error }, 'the modules\' /metrics cannot be found through the registry: only the services are scraped until it answers');
      failing = true;
      return [];
    }
  };
  return async () => [...services, ...(await modules())];
}
