import type { Kysely, Migration } from 'kysely';

/**
 * Where an organisation's subscription lives in Stripe, and what Stripe was last told about it
 * (a change is synced when the two differ); one Stripe price per plan's terms.
 */
export const stripeSubscriptionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('subscriptions').addColumn('stripe_subscription_id', 'text').execute();
    await db.schema.alterTable('subscriptions').addColumn('stripe_subscription_item_id', 'text').execute();
    await db.schema.alterTable('subscriptions').addColumn('stripe_synced_terms', 'text').execute();
    await db.schema
      .createTable('stripe_prices')
      .addColumn('terms', 'text', (column) => column.primaryKey())
      .addColumn('stripe_price_id', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
  },
};
