import type { BillingDomain } from './billing-domain.js';
import type { Period } from './billing-period.js';
import type { MetricPriceRule } from './plan-schema.js';

/** Metrics that are levels (how many exist now), not flows (how many happened): reported as counts, invoiced on the highest. */
const levelMetrics: ReadonlySet<string> = new Set(['memory_items']);

export function aggregationOf(rule: Pick<MetricPriceRule, 'metric' | 'aggregation'>): 'sum' | 'max' {
  return rule.aggregation ?? (levelMetrics.has(rule.metric) ? 'max' : 'sum');
}

/**
 * What the organisation used of a plan's metric in the period, as entitlements and invoices count
 * it: a flow's events summed; a level's highest reported count (Lago's `max`), where the level
 * carried into the period — the last count reported before it — counts too, so memories stored
 * last month and untouched since are still billed this month.
 */
export async function usedInPeriod(domain: BillingDomain, organisationId: string, rule: Pick<MetricPriceRule, 'metric' | 'aggregation'>, period: Period): Promise<number> {
  const window = { organisationId, metric: rule.metric, from: period.start, to: period.end };
  if (aggregationOf(rule) === 'sum') return domain.store.usage.aggregate({ ...window, aggregation: 'sum' });
  const [highest, carried] = await Promise.all([domain.store.usage.aggregate({ ...window, aggregation: 'max' }), domain.store.usage.lastBefore(window)]);
  return Math.max(highest, carried ?? 0);
}
