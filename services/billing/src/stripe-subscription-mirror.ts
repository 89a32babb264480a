import type Stripe from 'stripe';
import type { BillingDomain } from './billing-domain.js';
import { getPlan, type PlanView } from './plans.js';
import { stripeCustomerFor } from './stripe-customers.js';
import { priceTerms, stripePriceFor } from './stripe-prices.js';
import { currentPeriod, freePlanId, subscriptionOf } from './subscriptions.js';
import type { SubscriptionRow } from './store/index.js';

const unixSeconds = (iso: string | Date) => Math.floor(new Date(iso).getTime() / 1000);

/** What Stripe is told of a subscription: its plan's price terms, trial end and cancellation. */
export function stripeTerms(row: SubscriptionRow, plan: PlanView): string {
  return JSON.stringify({ price: priceTerms(plan), trialEndsAt: row.trial_ends_at, cancelAtPeriodEnd: row.cancel_at_period_end === 1 });
}

/**
 * Whether Stripe may not know the subscription as it is now — read from the row alone, so the
 * invoicing timer can look at every subscription each minute. A scheduled change or cancellation
 * counts: it takes effect when the subscription is next read, which the sync does.
 */
export function mayNeedStripeSync(row: SubscriptionRow, plan: PlanView | undefined): boolean {
  if (row.pending_plan_id !== null || row.cancel_at_period_end === 1) return true;
  if (row.plan_id === freePlanId) return Boolean(row.stripe_subscription_id);
  return !plan || !row.stripe_subscription_id || stripeTerms(row, plan) !== row.stripe_synced_terms;
}

/**
 * Makes the organisation's Stripe subscription match its subscription here. Billing stays the
 * source of truth and invoices each period itself (pushed as Stripe invoices, see stripe-invoice-push.ts);
 * the Stripe subscription mirrors the plan, trial and cancellation so Stripe's dashboard, customer
 * portal and revenue reports show them. So that Stripe does not bill the base fee a second time,
 * its cycle starts at the end of the current period (the first Stripe invoice is for nothing) and
 * its collection is paused with `void`: the invoices Stripe drafts for it are voided at once.
 *
 * The free plan has no Stripe subscription: moving to it (now, or when a cancellation reaches
 * its period end) ends the one in Stripe.
 */
export async function mirrorSubscriptionInStripe(domain: BillingDomain, stripe: Stripe, organisationId: string): Promise<void> {
  const row = await subscriptionOf(domain, organisationId);
  if (row.plan_id === freePlanId) return endStripeSubscription(domain, stripe, row);
  const plan = await getPlan(domain, row.plan_id);
  const terms = stripeTerms(row, plan);
  if (row.stripe_subscription_id && row.stripe_subscription_item_id && row.stripe_synced_terms === terms) return;

  const price = await stripePriceFor(domain, stripe, plan);
  const trialing = row.trial_ends_at !== null && Date.parse(row.trial_ends_at) > domain.clock.now();
  let subscriptionId = row.stripe_subscription_id;
  let itemId = row.stripe_subscription_item_id;
  if (!subscriptionId || !itemId) {
    const customer = await stripeCustomerFor(domain, stripe, organisationId);
    const period = await currentPeriod(domain, row, plan);
    // Keyed by the subscription's start: a retry makes no second one, a later new start makes one.
    const created = await stripe.subscriptions.create(
      {
        customer,
        items: [{ price }],
        collection_method: 'send_invoice',
        days_until_due: 30,
        proration_behavior: 'none',
        ...(trialing ? { trial_end: unixSeconds(row.trial_ends_at as string) } : { billing_cycle_anchor: unixSeconds(period.end) }),
        metadata: { liftOrganisationId: organisationId, liftPlanId: plan.id },
      },
      { idempotencyKey: `lift-subscription-${organisationId}-${row.anchor}` },
    );
    const item = created.items.data[0]?.id;
    if (!item) throw new Error(`Stripe answered subscription ${created.id} without an item`);
    subscriptionId = created.id;
    itemId = item;
    // Kept before anything else can fail, so a retry updates this subscription instead of making one.
    await domain.store.stripe.setSubscription(organisationId, subscriptionId, itemId);
  }
  // Setting values, not changing them by a delta: repeating it is harmless, so no idempotency key.
  await stripe.subscriptions.update(subscriptionId, {
    items: [{ id: itemId, price }],
    cancel_at_period_end: row.cancel_at_period_end === 1,
    pause_collection: { behavior: 'void' },
    proration_behavior: 'none',
    ...(trialing ? { trial_end: unixSeconds(row.trial_ends_at as string) } : {}),
    metadata: { liftOrganisationId: organisationId, liftPlanId: plan.id },
  });
  await domain.store.stripe.setSyncedTerms(organisationId, terms);
}

async function endStripeSubscription(domain: BillingDomain, stripe: Stripe, row: SubscriptionRow): Promise<void> {
  const subscriptionId = row.stripe_subscription_id;
  if (!subscriptionId) return;
  // At a period end Stripe has usually ended it already (cancel_at_period_end); cancelling twice is an error.
  const current = await stripe.subscriptions.retrieve(subscriptionId);
  if (current.status !== 'canceled') await stripe.subscriptions.cancel(subscriptionId);
  await domain.store.stripe.forgetSubscription(row.organisation_id, subscriptionId);
}
