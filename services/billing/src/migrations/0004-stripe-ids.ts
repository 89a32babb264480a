import type { Kysely, Migration } from 'kysely';

/** Where an organisation and an invoice live in Stripe, once pushed there. */
export const stripeIdsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('subscriptions').addColumn('stripe_customer_id', 'text').execute();
    await db.schema.alterTable('invoices').addColumn('stripe_invoice_id', 'text').execute();
  },
};
