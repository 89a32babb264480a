import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/**
 * A service's request counters as its /metrics shows them (cumulative since it started): what the
 * monitor keeps between rounds to compute what happened in between. Buckets are cumulative
 * `[le, count]` pairs, `le` as the exposition writes it (`+Inf` included), in ascending order.
 */
export interface ServiceTotals {
  readonly requests: number;
  readonly errors: number;
  readonly buckets: readonly (readonly [string, number])[];
}

// The monitor's own probes and scrapes are not the service's traffic.
const monitorRoutes = new Set(['/health', '/ready', '/metrics']);

const counted = (labels: Record<string, string> | undefined) => !monitorRoutes.has(labels?.route ?? '');
const numberOf = (text: string | undefined) => {
  const value = Number(text);
  return Number.isFinite(value) ? value : 0;
};
const leValue = (le: string) => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le));

/**
 * `http_requests_total` (5xx are errors) and `http_request_duration_seconds`, summed over every
 * method and route but the monitor's own, from the Prometheus text exposition format.
 */
export function totalsFromExposition(text: string): ServiceTotals {
  let requests = 0;
  let errors = 0;
  const buckets = new Map<string, number>();
  // parse-prometheus-text-format 1.1 folds every labelled series of a histogram family into one
  // series without labels, the last value per `le` winning (upstream issue #13, fix in the
  // unmerged PR #8). Declared untyped, a histogram's `_bucket` lines come back as samples of
  // their own, labels and `le` intact; the monitoring tests read the kit's real output.
  for (const family of parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'))) {
    if (family.name === 'http_requests_total') {
      for (const sample of family.metrics) {
        if (!counted(sample.labels)) continue;
        const value = numberOf(sample.value);
        requests += value;
        if (/^5\d\d$/.test(sample.labels?.status ?? '')) errors += value;
      }
    } else if (family.name === 'http_request_duration_seconds_bucket') {
      for (const sample of family.metrics) {
        const le = sample.labels?.le;
        if (le === undefined || !counted(sample.labels)) continue;
        buckets.set(le, (buckets.get(le) ?? 0) + numberOf(sample.value));
      }
    }
  }
  return { requests, errors, buckets: [...buckets].sort(([a], [b]) => leValue(a) - leValue(b)) };
}

/**
 * What happened between two readings. A counter that went down means the service restarted
 * (counters start again at 0), so everything it shows now happened since: Prometheus's rule.
 */
export function totalsSince(now: ServiceTotals, before: ServiceTotals | undefined): ServiceTotals {
  if (!before || now.requests < before.requests || now.errors < before.errors) return now;
  const earlier = new Map(before.buckets);
  return {
    requests: now.requests - before.requests,
    errors: now.errors - before.errors,
    buckets: now.buckets.map(([le, count]) => [le, Math.max(0, count - (earlier.get(le) ?? 0))] as const),
  };
}

/** Adds the bucket counts of several periods. */
export function mergeBuckets(periods: readonly (readonly (readonly [string, number])[])[]): [string, number][] {
  const merged = new Map<string, number>();
  for (const buckets of periods) for (const [le, count] of buckets) merged.set(le, (merged.get(le) ?? 0) + count);
  return [...merged].sort(([a], [b]) => leValue(a) - leValue(b));
}

/**
 * The `q` quantile of a cumulative histogram, interpolated linearly within its bucket as
 * Prometheus's histogram_quantile does; in the histogram's unit. Undefined without observations.
 * A quantile in the +Inf bucket is the largest finite bound (all that can be said).
 */
export function histogramQuantile(q: number, buckets: readonly (readonly [string, number])[]): number | undefined {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, count] of buckets) {
    const upperBound = leValue(le);
    if (count >= rank) {
      if (!Number.isFinite(upperBound)) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket <= 0 ? upperBound : lowerBound + ((upperBound - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = upperBound;
    lowerCount = count;
  }
  return lowerBound;
}
