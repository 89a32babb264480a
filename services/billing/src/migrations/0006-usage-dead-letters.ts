import type { Kysely, Migration } from 'kysely';

/**
 * Usage events an internal producer delivered that billing could not count (a period already
 * closed, an unknown metric): kept with the reason instead of retried for ever or dropped.
 */
export const usageDeadLettersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('usage_dead_letters')
      .addColumn('event_id', 'text', (column) => column.primaryKey())
      .addColumn('event', 'text', (column) => column.notNull())
      .addColumn('reason', 'text', (column) => column.notNull())
      .addColumn('received_at', 'text', (column) => column.notNull())
      .execute();
  },
};
