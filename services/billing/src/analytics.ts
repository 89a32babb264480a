import type { BillingDomain } from './billing-domain.js';
import { listPlans } from './plans.js';

/** Daily totals of one metric for one organisation, days in UTC, empty days included as 0. */
export async function usageOverTime(domain: BillingDomain, query: { organisationId: string; metric: string; from: Date; to: Date }) {
  const totals = await domain.store.usage.dailyTotals(query);
  const points: { day: string; value: number }[] = [];
  for (let at = Date.UTC(query.from.getUTCFullYear(), query.from.getUTCMonth(), query.from.getUTCDate()); at < query.to.getTime(); at += 86_400_000) {
    const key = new Date(at).toISOString().slice(0, 10);
    points.push({ day: key, value: totals.get(key) ?? 0 });
  }
  return points;
}

/**
 * Monthly recurring revenue by currency (yearly plans count a twelfth, rounded down to the cent;
 * trials count nothing yet) and how many organisations are on each plan.
 */
export async function revenue(domain: BillingDomain) {
  const plans = new Map((await listPlans(domain, true)).map((plan) => [plan.id, plan]));
  const subscriptions = await domain.store.subscriptions.plansAndTrials();
  const mrr = new Map<string, number>();
  const mix = new Map<string, number>();
  for (const subscription of subscriptions) {
    mix.set(subscription.plan_id, (mix.get(subscription.plan_id) ?? 0) + 1);
    const plan = plans.get(subscription.plan_id);
    const trialing = subscription.trial_ends_at !== null && Date.parse(subscription.trial_ends_at) > domain.clock.now();
    if (!plan || trialing) continue;
    const monthly = plan.interval === 'year' ? Math.floor(plan.basePriceCents / 12) : plan.basePriceCents;
    mrr.set(plan.currency, (mrr.get(plan.currency) ?? 0) + monthly);
  }
  return {
    mrrCents: [...mrr].map(([currency, cents]) => ({ currency, cents })).sort((a, b) => a.currency.localeCompare(b.currency)),
    planMix: [...mix].map(([planId, organisations]) => ({ planId, organisations })).sort((a, b) => a.planId.localeCompare(b.planId)),
  };
}
