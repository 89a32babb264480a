import { histogramQuantile, mergeBuckets } from './histogram-quantile.js';
import type { MetricDeltaRow } from '../store/metrics-store.js';
import { quantileOf, type GroupLabel, type MetricsGroup, type MetricsQuery } from './metrics-query.js';

/** No figure rather than NaN or Infinity, which JSON cannot carry (counts near Number.MAX_VALUE add up to Infinity). */
const finiteOrNull = (value: number | undefined): number | null => (value !== undefined && Number.isFinite(value) ? value : null);

interface Accumulated {
  labels: Partial<Record<GroupLabel, string>>;
  requests: number;
  errors: number;
  buckets: Map<string, number>;
  targets: Set<string>;
}

/** How much of the window each target's rounds cover (a first round's reading may reach before the window). */
export function coverageByTarget(rounds: readonly { target: string; covered_ms: number }[], windowMs: number): Map<string, number> {
  return new Map(rounds.map((round) => [round.target, Math.min(windowMs, round.covered_ms)]));
}

/**
 * A query over the changes kept in the window: increases summed per group, a rate over the time
 * the group's targets were read (less than the window after a start or a gap), 5xx over all, and
 * quantiles from the summed bucket changes, interpolated linearly as histogram_quantile does.
 */
export function answerFromChanges(query: MetricsQuery, deltas: readonly Omit<MetricDeltaRow, 'sampled_at'>[], covered: ReadonlyMap<string, number>): MetricsGroup[] {
  const groups = new Map<string, Accumulated>();
  for (const row of deltas) {
    const labels = Object.fromEntries(query.groupBy.map((label) => [label, row[label]])) as Partial<Record<GroupLabel, string>>;
    const key = JSON.stringify(query.groupBy.map((label) => row[label]));
    let group = groups.get(key);
    if (group === undefined) {
      group = { labels, requests: 0, errors: 0, buckets: new Map(), targets: new Set() };
      groups.set(key, group);
    }
    group.targets.add(row.target);
    if (row.le === '') {
      group.requests += row.value;
      if (/^5\d\d$/.test(row.status)) group.errors += row.value;
    } else {
      group.buckets.set(row.le, (group.buckets.get(row.le) ?? 0) + row.value);
    }
  }
  const quantile = quantileOf[query.metric];
  return [...groups.values()]
    .filter((group) => group.requests > 0 || group.buckets.size > 0)
    .map((group) => {
      const coveredMs = Math.max(0, ...[...group.targets].map((target) => covered.get(target) ?? 0));
      if (query.metric === 'rate') return { labels: group.labels, value: finiteOrNull(coveredMs === 0 ? 0 : group.requests / (coveredMs / 1000)) };
      if (query.metric === 'error_ratio') return { labels: group.labels, value: group.requests === 0 ? null : finiteOrNull(group.errors / group.requests) };
      return { labels: group.labels, value: finiteOrNull(histogramQuantile(quantile ?? 0.5, mergeBuckets([[...group.buckets]]))) };
    });
}
