import type Stripe from 'stripe';
import type { BillingDomain } from './billing-domain.js';

/**
 * The organisation's Stripe customer, created the first time anything of it goes to Stripe (an
 * invoice or a paid subscription) and kept on its subscription. The idempotency key, the
 * organisation id, makes replicas creating it together make one.
 */
export async function stripeCustomerFor(domain: BillingDomain, stripe: Stripe, organisationId: string): Promise<string> {
  const subscription = await domain.db.selectFrom('subscriptions').select('stripe_customer_id').where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
  if (subscription.stripe_customer_id) return subscription.stripe_customer_id;
  const customer = await stripe.customers.create({ name: organisationId, metadata: { liftOrganisationId: organisationId } }, { idempotencyKey: `lift-customer-${organisationId}` });
  await domain.db.updateTable('subscriptions').set({ stripe_customer_id: customer.id }).where('organisation_id', '=', organisationId).execute();
  return customer.id;
}
