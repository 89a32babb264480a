/** What the overview and the alert rules know of a service's traffic over a window. */
export interface ServiceTraffic {
  readonly service: string;
  readonly requests: number;
  /** Answers with a 5xx status. */
  readonly errors: number;
  readonly requestsPerSecond: number;
  /** errors / requests, 0..1; null without requests. */
  readonly errorRatio: number | null;
  readonly p95Ms: number | null;
  /** How much of the window the readings cover (less after a start or a gap). */
  readonly coveredMs: number;
}

/**
 * Where the overview's and the rules' request rates, error ratios and latency come from: the
 * metrics query layer (`queryLayerTraffic`), over observability's own scrapes or Prometheus.
 * Tests may pass another through `MonitoringDeps.serviceMetrics`.
 */
export interface ServiceMetricsSource {
  /** Once per monitor round, on the leader only: read and keep what the summaries need. */
  collect(now: number): Promise<void>;
  /** Per service, and all services together (`service: '*'`), over the `windowMs` before `now`; the same on every replica. */
  traffic(windowMs: number, now: number): Promise<{ readonly services: readonly ServiceTraffic[]; readonly platform: ServiceTraffic }>;
}
