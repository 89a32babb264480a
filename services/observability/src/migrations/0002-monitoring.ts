import { sql, type Kysely, type Migration } from 'kysely';

/** Health checks, alert rules, alerts and notification deliveries. */
export const monitoringMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('service_checks')
      .addColumn('target', 'text', (column) => column.notNull())
      .addColumn('checked_at', 'text', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('latency_ms', 'integer')
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('service_checks_target').on('service_checks').columns(['target', 'checked_at']).execute();
    // Retention deletes the oldest rows in chunks, across targets.
    await db.schema.createIndex('service_checks_time').on('service_checks').column('checked_at').execute();
    await db.schema
      .createTable('service_check_hours')
      .addColumn('target', 'text', (column) => column.notNull())
      .addColumn('hour', 'text', (column) => column.notNull())
      .addColumn('checks', 'integer', (column) => column.notNull())
      .addColumn('up_checks', 'integer', (column) => column.notNull())
      .addColumn('latencies', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('service_check_hours_key', ['target', 'hour'])
      .execute();
    await db.schema
      .createTable('monitored_targets')
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('since', 'text', (column) => column.notNull())
      .addColumn('checked_at', 'text')
      .addColumn('latency_ms', 'integer')
      .addColumn('detail', 'text')
      .addColumn('bad_checks', 'integer', (column) => column.notNull())
      .addPrimaryKeyConstraint('monitored_targets_key', ['kind', 'name'])
      .execute();
    await db.schema
      .createTable('service_metric_samples')
      .addColumn('service', 'text', (column) => column.notNull())
      .addColumn('sampled_at', 'text', (column) => column.notNull())
      .addColumn('window_ms', 'integer', (column) => column.notNull())
      .addColumn('requests', 'integer', (column) => column.notNull())
      .addColumn('errors', 'integer', (column) => column.notNull())
      .addColumn('buckets', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('service_metric_samples_time').on('service_metric_samples').columns(['sampled_at', 'service']).execute();
    await db.schema
      .createTable('service_metric_baselines')
      .addColumn('service', 'text', (column) => column.primaryKey())
      .addColumn('scraped_at', 'text', (column) => column.notNull())
      .addColumn('totals', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('alert_rules')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('target', 'text', (column) => column.notNull())
      .addColumn('checks', 'integer')
      .addColumn('threshold', 'double precision')
      .addColumn('for_ms', 'integer')
      .addColumn('severity', 'text', (column) => column.notNull())
      .addColumn('enabled', 'integer', (column) => column.notNull())
      .addColumn('channels', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('updated_by', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('rule_id', 'text', (column) => column.notNull())
      .addColumn('fingerprint', 'text', (column) => column.notNull())
      .addColumn('rule_name', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('target', 'text', (column) => column.notNull())
      .addColumn('severity', 'text', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('summary', 'text', (column) => column.notNull())
      .addColumn('fired_at', 'text', (column) => column.notNull())
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledged_by', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text')
      .execute();
    // Deduplication: one open alert per rule and target, whichever replica or request opens it.
    await db.schema.createIndex('alerts_open_fingerprint').on('alerts').column('fingerprint').unique().where(sql.ref('state'), '<>', 'resolved').execute();
    await db.schema.createIndex('alerts_state_time').on('alerts').columns(['state', 'fired_at', 'id']).execute();
    await db.schema.createIndex('alerts_time').on('alerts').columns(['fired_at', 'id']).execute();
    await db.schema
      .createTable('alert_deliveries')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('alert_id', 'text', (column) => column.notNull())
      .addColumn('event', 'text', (column) => column.notNull())
      .addColumn('channel_type', 'text', (column) => column.notNull())
      .addColumn('url', 'text', (column) => column.notNull())
      .addColumn('payload', 'text', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('attempts', 'integer', (column) => column.notNull())
      .addColumn('next_attempt_at', 'text', (column) => column.notNull())
      .addColumn('last_attempt_at', 'text')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema.createIndex('alert_deliveries_due').on('alert_deliveries').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('alert_deliveries_alert').on('alert_deliveries').columns(['alert_id', 'created_at']).execute();
    await db.schema.createTable('monitoring_markers').addColumn('name', 'text', (column) => column.primaryKey()).addColumn('set_at', 'text', (column) => column.notNull()).execute();
  },
};
