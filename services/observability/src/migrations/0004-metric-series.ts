import type { Kysely, Migration } from 'kysely';

/** Self-scraped request series: per round, the changes of every service's and module's request counters and latency buckets. */
export const metricSeriesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('metric_rounds')
      .addColumn('target', 'text', (column) => column.notNull())
      .addColumn('sampled_at', 'text', (column) => column.notNull())
      .addColumn('window_ms', 'integer', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('metric_rounds_time').on('metric_rounds').columns(['sampled_at', 'target']).execute();
    await db.schema
      .createTable('metric_deltas')
      .addColumn('target', 'text', (column) => column.notNull())
      .addColumn('sampled_at', 'text', (column) => column.notNull())
      .addColumn('service', 'text', (column) => column.notNull())
      .addColumn('route', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('le', 'text', (column) => column.notNull())
      .addColumn('value', 'double precision', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('metric_deltas_time').on('metric_deltas').columns(['sampled_at', 'service']).execute();
  },
};
