import type { EntitlementMetric, Entitlements } from '@lift/sdk';
import type { BillingDomain } from './billing-domain.js';
import { usedInPeriod } from './metric-usage.js';
import { getPlan } from './plans.js';
import { currentPeriod, subscriptionOf } from './subscriptions.js';

/**
 * What an organisation may still use this period, per metric of its plan: the SDK's wire type,
 * which the gateway reads its hard quotas from, so the answer cannot drift from what it expects.
 */
export async function entitlementsOf(domain: BillingDomain, organisationId: string): Promise<Entitlements> {
  const subscription = await subscriptionOf(domain, organisationId);
  const plan = await getPlan(domain, subscription.plan_id);
  const period = await currentPeriod(domain, subscription, plan);
  const metrics: EntitlementMetric[] = await Promise.all(
    plan.metrics.map(async (rule) => {
      const used = await usedInPeriod(domain, organisationId, rule, period);
      return { metric: rule.metric, used, included: rule.included, remaining: Math.max(0, rule.included - used), limit: rule.limit, hardLimitReached: rule.limit === 'hard' && used >= rule.included };
    }),
  );
  return { organisationId, planId: plan.id, periodStart: period.start.toISOString(), periodEnd: period.end.toISOString(), metrics };
}
