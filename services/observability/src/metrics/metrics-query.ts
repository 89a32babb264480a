/** What /v1/metrics/query computes. */
export const queryMetrics = ['rate', 'error_ratio', 'p50', 'p95', 'p99'] as const;
export type QueryMetric = (typeof queryMetrics)[number];
export const groupLabels = ['service', 'route', 'status'] as const;
export type GroupLabel = (typeof groupLabels)[number];

export const quantileOf: Readonly<Record<QueryMetric, number | undefined>> = { rate: undefined, error_ratio: undefined, p50: 0.5, p95: 0.95, p99: 0.99 };

/** One query: a metric of the platform's HTTP requests over a window, grouped, optionally narrowed to one service or route. */
export interface MetricsQuery {
  readonly metric: QueryMetric;
  readonly windowMs: number;
  readonly groupBy: readonly GroupLabel[];
  readonly service?: string;
  readonly route?: string;
}

export interface MetricsGroup {
  readonly labels: Partial<Record<GroupLabel, string>>;
  /** Requests per second, a 0..1 ratio, or seconds; null when there were no requests to tell. */
  readonly value: number | null;
}

/**
 * The one query layer: the overview, the alert rules and /v1/metrics/query all read through it,
 * whether the series are observability's own (self-scraped) or Prometheus's.
 */
export interface MetricsQueryLayer {
  readonly source: 'self' | 'prometheus';
  /** The longest window it can answer. */
  readonly maxWindowMs: number;
  /** Once per monitor round, on the leader only (self-scraped: read every /metrics; Prometheus: nothing). */
  collect(now: number): Promise<void>;
  query(query: MetricsQuery, now: number): Promise<MetricsGroup[]>;
  /** How much of the window before `now` the readings of `service` (all when undefined) cover. */
  coveredMs(windowMs: number, now: number, service?: string): Promise<number>;
}

/** Groups in a stable order (by their labels). */
export function sortGroups(groups: MetricsGroup[]): MetricsGroup[] {
  const text = (group: MetricsGroup) => groupLabels.map((label) => group.labels[label] ?? '').join('\u0000');
  return groups.sort((a, b) => text(a).localeCompare(text(b)));
}
