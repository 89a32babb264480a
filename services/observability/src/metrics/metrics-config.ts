import { Type, type TProperties } from '@sinclair/typebox';

/** The settings of the metrics query layer and of pushed metrics (spread into the service's config schema). */
export function metricsConfigProperties() {
  return {
    PROMETHEUS_URL: Type.String({ default: '', pattern: '^(https?://.*)?$', description: 'a Prometheus whose HTTP API answers /v1/metrics/query; empty = observability scrapes every service and module itself' }),
    PROMETHEUS_QUERY_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5_000, description: 'how long one Prometheus query may take, answer included' }),
    METRICS_RETENTION_HOURS: Type.Integer({ minimum: 1, maximum: 744, default: 24, description: 'hours of self-scraped request series kept (without PROMETHEUS_URL); the longest query window' }),
    METRICS_MAX_TARGETS: Type.Integer({ minimum: 6, maximum: 10_000, default: 200, description: 'the most /metrics endpoints scraped per round (the six services first, then modules)' }),
    METRICS_MAX_SERIES_PER_TARGET: Type.Integer({ minimum: 10, maximum: 1_000_000, default: 2_000, description: 'the most request series (route × status, and their latency buckets) kept per target per round; the rest is dropped and logged' }),
    METRICS_MAX_PUSHED_SERIES: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10_000, description: 'the most series modules may push (all modules together); a push adding more is refused' }),
    METRICS_MAX_PUSHED_SERIES_PER_MODULE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1_000, description: 'the most series one module may push; a push adding more is refused, other modules unaffected' }),
    METRICS_PUSHED_SERIES_TTL_MINUTES: Type.Integer({ minimum: 1, maximum: 10_080, default: 60, description: 'a pushed series no push has written for this long is forgotten (off /metrics, its place freed)' }),
  } satisfies TProperties;
}
