/** Stable codes of the metrics half of the observability service; docs/api/errors.md explains each. */
export const metricsErrorCodes = {
  /** A /v1/metrics/query parameter that is none of its values. */
  badQuery: 'OBSERVABILITY_INVALID_METRICS_QUERY',
  /** A pushed metric whose name, type, value, labels or timestamp the Prometheus data model (or the push format) refuses. */
  badMetric: 'OBSERVABILITY_INVALID_METRIC',
  /** A push that would add series past METRICS_MAX_PUSHED_SERIES. */
  seriesLimit: 'OBSERVABILITY_PUSHED_SERIES_LIMIT',
  /** A token that is neither a module's nor holds observability:metrics-push. */
  pushForbidden: 'OBSERVABILITY_METRICS_PUSH_FORBIDDEN',
  /** PROMETHEUS_URL is set and Prometheus did not answer in time or answered an error. */
  prometheusUnavailable: 'OBSERVABILITY_PROMETHEUS_UNAVAILABLE',
} as const;
