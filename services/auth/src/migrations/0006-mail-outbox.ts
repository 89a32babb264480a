import type { Kysely, Migration } from 'kysely';

/**
 * Messages waiting to be sent. They are written in the transaction of the change that causes
 * them (a token issued, an invitation made), so neither exists without the other, and sent by a
 * background sender that retries; a sent or abandoned message keeps no text (it held a link).
 */
export const mailOutboxMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('recipient', 'text', (column) => column.notNull())
      .addColumn('subject', 'text', (column) => column.notNull())
      .addColumn('body_text', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (column) => column.notNull())
      .addColumn('lease_until', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('abandoned_at', 'text')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['sent_at', 'abandoned_at', 'next_attempt_at']).execute();
  },
};
