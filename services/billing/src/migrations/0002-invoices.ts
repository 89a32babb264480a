import type { Kysely, Migration } from 'kysely';

/** Invoices, and the one sequence that numbers them without gaps. */
export const invoicesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('invoices')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('number', 'integer', (column) => column.unique())
      .addColumn('plan_id', 'text', (column) => column.notNull())
      .addColumn('period_start', 'text', (column) => column.notNull())
      .addColumn('period_end', 'text', (column) => column.notNull())
      .addColumn('currency', 'text', (column) => column.notNull())
      .addColumn('lines', 'text', (column) => column.notNull())
      .addColumn('subtotal_cents', 'bigint', (column) => column.notNull())
      .addColumn('total_cents', 'bigint', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('finalized_at', 'text')
      .addColumn('paid_at', 'text')
      .addColumn('voided_at', 'text')
      .addUniqueConstraint('invoices_organisation_period', ['organisation_id', 'period_start'])
      .execute();
    await db.schema.createTable('invoice_sequence').addColumn('id', 'integer', (column) => column.primaryKey()).addColumn('last_number', 'integer', (column) => column.notNull()).execute();
    await db.insertInto('invoice_sequence' as never).values({ id: 1, last_number: 0 } as never).execute();
  },
};
