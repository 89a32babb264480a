import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A usage event's id is unique within its organisation, not across all of them: with one global
 * key, tenant A could report an id first so that tenant B's event with that id was dropped as a
 * duplicate, and learn from the answer which ids B had used. The table is rebuilt (SQLite cannot
 * change a primary key in place), the same way on both dialects; rows are kept as they are.
 */
export const usageIdempotencyPerOrganisationMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('usage_events_per_organisation')
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('id', 'text', (column) => column.notNull())
      .addColumn('metric', 'text', (column) => column.notNull())
      .addColumn('quantity', 'bigint', (column) => column.notNull())
      .addColumn('occurred_at', 'text', (column) => column.notNull())
      .addColumn('properties', 'text', (column) => column.notNull())
      .addColumn('received_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('usage_events_organisation_id_pkey', ['organisation_id', 'id'])
      .execute();
    await sql`insert into usage_events_per_organisation (organisation_id, id, metric, quantity, occurred_at, properties, received_at)
      select organisation_id, id, metric, quantity, occurred_at, properties, received_at from usage_events`.execute(db);
    await db.schema.dropTable('usage_events').execute();
    await db.schema.alterTable('usage_events_per_organisation').renameTo('usage_events').execute();
    await db.schema.createIndex('usage_events_org_metric_time').on('usage_events').columns(['organisation_id', 'metric', 'occurred_at']).execute();
  },
};
