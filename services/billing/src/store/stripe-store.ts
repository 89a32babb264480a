import type { Kysely } from 'kysely';
import type { BillingTables } from '../tables.js';

/**
 * What billing keeps of Stripe: the ids of the customer, subscription and invoices it made there,
 * the terms last mirrored, the prices per plan terms, and the webhook events already applied.
 */
export function stripeStore(db: Kysely<BillingTables>) {
  const subscriptionOf = (organisationId: string) => db.updateTable('subscriptions').where('organisation_id', '=', organisationId);
  return {
    customerOf: async (organisationId: string) =>
      (await db.selectFrom('subscriptions').select('stripe_customer_id').where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()).stripe_customer_id ?? null,
    setCustomer: (organisationId: string, customerId: string) => subscriptionOf(organisationId).set({ stripe_customer_id: customerId }).execute(),
    setSubscription: (organisationId: string, subscriptionId: string, itemId: string) =>
      subscriptionOf(organisationId).set({ stripe_subscription_id: subscriptionId, stripe_subscription_item_id: itemId }).execute(),
    setSyncedTerms: (organisationId: string, terms: string) => subscriptionOf(organisationId).set({ stripe_synced_terms: terms }).execute(),
    /** Forgets the Stripe subscription, unless another one replaced it meanwhile. */
    forgetSubscription: (organisationId: string, subscriptionId: string) =>
      subscriptionOf(organisationId).set({ stripe_subscription_id: null, stripe_subscription_item_id: null, stripe_synced_terms: null }).where('stripe_subscription_id', '=', subscriptionId).execute(),

    priceFor: async (terms: string) => (await db.selectFrom('stripe_prices').select('stripe_price_id').where('terms', '=', terms).executeTakeFirst())?.stripe_price_id,
    /** The first price written for the terms wins; a later one is ignored. */
    insertPrice: (row: BillingTables['stripe_prices']) => db.insertInto('stripe_prices').values(row).onConflict((conflict) => conflict.column('terms').doNothing()).execute(),

    invoice: (id: string) => db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Open invoices not in Stripe yet (or only `only`, when given). */
    openInvoicesNotInStripe: async (only?: string): Promise<string[]> => {
      let query = db.selectFrom('invoices').select('id').where('status', '=', 'open').where('stripe_invoice_id', 'is', null);
      if (only !== undefined) query = query.where('id', '=', only);
      return (await query.execute()).map((row) => row.id);
    },
    setInvoiceId: (invoiceId: string, stripeInvoiceId: string) => db.updateTable('invoices').set({ stripe_invoice_id: stripeInvoiceId }).where('id', '=', invoiceId).execute(),

    /** Fails with a unique violation for an event recorded already: run it in the transaction that applies the event. */
    recordEvent: (row: BillingTables['stripe_events']) => db.insertInto('stripe_events').values(row).execute(),
  };
}
