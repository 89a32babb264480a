import type { ServiceApp, ServiceTokenSource } from '@lift/kit';
import type { ObservabilityDeps } from '../app.js';
import { platformServiceUrls } from '../monitoring/platform-services.js';
import { metricsStore } from '../store/metrics-store.js';
import type { MetricsQueryLayer } from './metrics-query.js';
import { prometheusMetrics } from './prometheus-metrics.js';
import { pushedMetrics } from './pushed-metrics.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { scrapeTargets } from './scrape-targets.js';
import { selfScrapedMetrics } from './self-scraped-metrics.js';

/**
 * The metrics query layer (Prometheus's with PROMETHEUS_URL, observability's own scrapes without),
 * its query endpoint, and pushed metrics, written on this service's /metrics in both modes.
 */
export async function startMetrics(app: ServiceApp, deps: ObservabilityDeps, tokens: ServiceTokenSource | undefined): Promise<MetricsQueryLayer> {
  const { config } = deps;
  const urls = platformServiceUrls(config);
  const layer = config.PROMETHEUS_URL
    ? prometheusMetrics({ http: deps.http, prometheusUrl: config.PROMETHEUS_URL, timeoutMs: config.PROMETHEUS_QUERY_TIMEOUT_MS })
    : selfScrapedMetrics({
        http: deps.http,
        store: metricsStore(deps.database.db),
        log: deps.log,
        targets: scrapeTargets({ http: deps.http, services: urls, registryUrl: urls.registry, tokens, timeoutMs: config.SERVICE_CHECK_TIMEOUT_MS, log: deps.log }),
        timeoutMs: config.SERVICE_CHECK_TIMEOUT_MS,
        intervalMs: config.SERVICE_CHECK_INTERVAL_MS,
        retentionHours: config.METRICS_RETENTION_HOURS,
        maxTargets: config.METRICS_MAX_TARGETS,
        maxSeriesPerTarget: config.METRICS_MAX_SERIES_PER_TARGET,
      });
  const pushed = pushedMetrics({
    maxSeries: config.METRICS_MAX_PUSHED_SERIES,
    maxSeriesPerModule: config.METRICS_MAX_PUSHED_SERIES_PER_MODULE,
    ttlMs: config.METRICS_PUSHED_SERIES_TTL_MINUTES * 60_000,
    ownFamilies: () => app.metrics.getMetricsAsArray().map((metric) => metric.name),
  });
  // The kit's plugin writes this service's registry at GET /metrics; what modules pushed joins it
  // there, merged into a family of the same name (one family per name, as the format requires).
  app.addHook('onSend', async (request, _reply, payload) => (request.routeOptions.url === '/metrics' && typeof payload === 'string' ? pushed.render(payload, deps.clock.now()) : payload));
  await metricsRoutes(app, { layer, pushed, clock: deps.clock });
  return layer;
}
