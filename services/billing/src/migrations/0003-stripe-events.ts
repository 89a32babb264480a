import type { Kysely, Migration } from 'kysely';

/** Stripe webhook events applied, by id: each is applied once however often it is delivered. */
export const stripeEventsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('stripe_events')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('type', 'text', (column) => column.notNull())
      .addColumn('received_at', 'text', (column) => column.notNull())
      .execute();
  },
};
