/** A cumulative histogram's buckets, `[le, count]`, `le` as the exposition writes it (`+Inf` included). */
const leValue = (le: string) => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le));

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
