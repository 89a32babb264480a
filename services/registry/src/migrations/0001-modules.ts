import type { Kysely, Migration } from 'kysely';

/** Modules, their version history, health results and the route table's revision. */
export const modulesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('modules')
      .addColumn('module_id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('version', 'text', (column) => column.notNull())
      .addColumn('manifest', 'text', (column) => column.notNull())
      .addColumn('enabled', 'integer', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('consecutive_failures', 'integer', (column) => column.notNull())
      .addColumn('consecutive_successes', 'integer', (column) => column.notNull())
      .addColumn('last_checked_at', 'text')
      .addColumn('last_heartbeat_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('status_changed_at', 'text', (column) => column.notNull())
      .addColumn('registered_by', 'text', (column) => column.notNull())
      .addColumn('registered_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('module_versions')
      .addColumn('module_id', 'text', (column) => column.notNull())
      .addColumn('version', 'text', (column) => column.notNull())
      .addColumn('manifest', 'text', (column) => column.notNull())
      .addColumn('recorded_at', 'text', (column) => column.notNull())
      .addColumn('recorded_by', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('module_versions_module').on('module_versions').columns(['module_id', 'recorded_at']).execute();
    await db.schema
      .createTable('module_health_results')
      .addColumn('module_id', 'text', (column) => column.notNull())
      .addColumn('checked_at', 'text', (column) => column.notNull())
      .addColumn('ok', 'integer', (column) => column.notNull())
      .addColumn('latency_ms', 'integer')
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('module_health_results_module').on('module_health_results').columns(['module_id', 'checked_at']).execute();
    await db.schema.createTable('registry_revision').addColumn('id', 'integer', (column) => column.primaryKey()).addColumn('revision', 'integer', (column) => column.notNull()).execute();
    await db.insertInto('registry_revision' as never).values({ id: 1, revision: 0 } as never).execute();
  },
};
