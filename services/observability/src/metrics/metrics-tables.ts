/** The tables of the self-scraped metrics (Kysely row types). */
export interface MetricsTables {
  /** One row per target per round that had a baseline: how long the readings cover (the rate's denominator). */
  metric_rounds: { target: string; sampled_at: string; window_ms: number };
  /**
   * What changed in one round, per request series: `le` empty for `http_requests_total`, a bucket
   * bound for `http_request_duration_seconds_bucket`. Only non-zero changes are written.
   */
  metric_deltas: { target: string; sampled_at: string; service: string; route: string; status: string; le: string; value: number };
}
