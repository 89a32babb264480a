import type { BillingDomain } from './billing-domain.js';
import { usedInPeriod } from './metric-usage.js';
import type { Period } from './billing-period.js';
import { getPlan, type PlanView } from './plans.js';
import { overageCharge } from './pricing.js';
import { currentPeriod, subscriptionOf } from './subscriptions.js';

export interface InvoiceLine {
  readonly description: string;
  readonly metric: string | null;
  readonly quantity: number;
  readonly unitPriceCents: number;
  readonly amountCents: number;
}

/**
 * The invoice the current period would produce now: the base fee (none while trialing), then the
 * overage of each soft-limited metric, tier by tier. Integer cents throughout.
 */
export async function previewInvoice(domain: BillingDomain, organisationId: string) {
  const subscription = await subscriptionOf(domain, organisationId);
  const plan = await getPlan(domain, subscription.plan_id);
  const period = await currentPeriod(domain, subscription, plan);
  return invoiceFor(domain, organisationId, plan, period, subscription.trial_ends_at);
}

/**
 * The invoice of one period on one plan: base fee unless the period began in a trial, then
 * overage. When `period` is only the used part of `fullPeriod` (the plan changed mid-period) the
 * base fee is prorated by time, rounded half up to the cent in exact integer arithmetic; the
 * included units are not, in the customer's favour.
 */
export async function invoiceFor(domain: BillingDomain, organisationId: string, plan: PlanView, period: Period, trialEndsAt: string | null, fullPeriod?: Period) {
  const trialing = trialEndsAt !== null && Date.parse(trialEndsAt) > period.start.getTime();
  const lines: InvoiceLine[] = [];
  if (!trialing && plan.basePriceCents > 0) {
    if (fullPeriod === undefined) {
      lines.push({ description: `${plan.name} (${plan.interval})`, metric: null, quantity: 1, unitPriceCents: plan.basePriceCents, amountCents: plan.basePriceCents });
    } else {
      const used = BigInt(period.end.getTime() - period.start.getTime());
      const length = BigInt(fullPeriod.end.getTime() - fullPeriod.start.getTime());
      const amount = Number((BigInt(plan.basePriceCents) * used * 2n + length) / (2n * length));
      const days = (value: bigint) => Math.round(Number(value) / 864_000) / 100;
      lines.push({ description: `${plan.name} (${plan.interval}), prorated: ${days(used)} of ${days(length)} days`, metric: null, quantity: 1, unitPriceCents: amount, amountCents: amount });
    }
  }
  for (const rule of plan.metrics) {
    const used = await usedInPeriod(domain, organisationId, rule, period);
    const charge = overageCharge(rule, used);
    charge.lines.forEach((line, tier) => {
      lines.push({ description: `${rule.metric} over ${rule.included} included${charge.lines.length > 1 ? ` (tier ${tier + 1})` : ''}`, metric: rule.metric, ...line });
    });
  }
  const subtotalCents = lines.reduce((sum, line) => sum + line.amountCents, 0);
  return { organisationId, planId: plan.id, currency: plan.currency, periodStart: period.start.toISOString(), periodEnd: period.end.toISOString(), status: 'preview' as const, lines, subtotalCents, totalCents: subtotalCents };
}
