import type Stripe from 'stripe';
import { type BillingDomain } from './billing-domain.js';
import type { PlanView } from './plans.js';
import { nowIso } from '@lift/kit';

/** A plan's terms as Stripe prices them; a plan whose base price changes needs a new price. */
export function priceTerms(plan: PlanView): string {
  return `${plan.id}:${plan.interval}:${plan.currency}:${plan.basePriceCents}`;
}

/**
 * The Stripe price of a plan's base fee, created once per terms (Stripe prices are immutable) and
 * remembered in `stripe_prices`. Replicas creating it together share one through the idempotency
 * key; the first row written wins.
 */
export async function stripePriceFor(domain: BillingDomain, stripe: Stripe, plan: PlanView): Promise<string> {
  const terms = priceTerms(plan);
  const existing = await domain.store.stripe.priceFor(terms);
  if (existing) return existing;
  const price = await stripe.prices.create(
    { currency: plan.currency, unit_amount: plan.basePriceCents, recurring: { interval: plan.interval }, product_data: { name: plan.name }, metadata: { liftPlanId: plan.id } },
    { idempotencyKey: `lift-price-${terms}` },
  );
  await domain.store.stripe.insertPrice({ terms, stripe_price_id: price.id, created_at: nowIso(domain.clock) });
  const stored = await domain.store.stripe.priceFor(terms);
  if (stored === undefined) throw new Error(`no Stripe price kept for ${terms} right after keeping one`);
  return stored;
}
