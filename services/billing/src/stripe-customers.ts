import type Stripe from 'stripe';
import type { BillingDomain } from './billing-domain.js';

/**
 * The organisation's Stripe customer, created the first time anything of it goes to Stripe (an
 * invoice or a paid subscription) and kept on its subscription. The idempotency key, the
 * organisation id, makes replicas creating it together make one.
 */
export async function stripeCustomerFor(domain: BillingDomain, stripe: Stripe, organisationId: string): Promise<string> {
  const existing = await domain.store.stripe.customerOf(organisationId);
  if (existing) return existing;
  const customer = await stripe.customers.create({ name: organisationId, metadata: { liftOrganisationId: organisationId } }, { idempotencyKey: `lift-customer-${organisationId}` });
  await domain.store.stripe.setCustomer(organisationId, customer.id);
  return customer.id;
}
