/** A cumulative histogram's buckets, `[le, count]`, `le` as the exposition writes it (`+Inf` included). */
const leValue = (le: string) => (le === '+Inf' ? Number.POSITIVE_INFINITY : le.trim() === '' ? Number.NaN : Number(le));

/** A bucket bound Prometheus would accept: a number, or `+Inf`. `NaN`, `abc` or an empty `le` is no bound. */
export const isBucketBound = (le: string): boolean => le === '+Inf' || Number.isFinite(leValue(le));

/** Adds the bucket counts of several periods; a bucket without a valid bound is left out. */
export function mergeBuckets(periods: readonly (readonly (readonly [string, number])[])[]): [string, number][] {
  const merged = new Map<string, number>();
  for (const buckets of periods) for (const [le, count] of buckets) if (isBucketBound(le)) merged.set(le, (merged.get(le) ?? 0) + count);
  return [...merged].sort(([a], [b]) => leValue(a) - leValue(b));
}

/**
 * The `q` quantile of a cumulative histogram, interpolated linearly within its bucket as
 * Prometheus's histogram_quantile does; in the histogram's unit. Undefined where Prometheus
 * answers NaN: without observations, with fewer than two buckets, or without a +Inf bucket.
 * Counts that go down from one bucket to the next are raised to the one before (Prometheus's
 * monotonicity fix). A quantile in the +Inf bucket is the largest finite bound (all that can be said).
 */
export function histogramQuantile(q: number, buckets: readonly (readonly [string, number])[]): number | undefined {
  let highest = 0;
  const cumulative = buckets
    .filter(([le]) => isBucketBound(le))
    .map(([le, count]): [number, number] => {
      highest = Math.max(highest, Number.isFinite(count) ? count : 0);
      return [leValue(le), highest];
    });
  if (cumulative.length < 2 || cumulative.at(-1)?.[0] !== Number.POSITIVE_INFINITY) return undefined;
  const total = highest;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  let quantile = lowerBound;
  for (const [upperBound, count] of cumulative) {
    if (count >= rank) {
      const inBucket = count - lowerCount;
      quantile = !Number.isFinite(upperBound) ? lowerBound : inBucket <= 0 ? upperBound : lowerBound + ((upperBound - lowerBound) * (rank - lowerCount)) / inBucket;
      break;
    }
    lowerBound = upperBound;
    lowerCount = count;
  }
  return Number.isFinite(quantile) ? quantile : undefined;
}
