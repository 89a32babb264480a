import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Alerts Alertmanager posts to `POST /v1/alertmanager/webhook`, in the same `alerts` table as the
 * rules' (source `alertmanager`): what Alertmanager said of each (labels, annotations, its
 * occurrence's startsAt/endsAt, where it came from) in columns rule alerts leave null.
 */
export const alertmanagerAlertsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const column of ['starts_at', 'ends_at', 'labels', 'annotations', 'generator_url', 'receiver', 'received_at']) {
      await db.schema.alterTable('alerts').addColumn(column, 'text').execute();
    }
    // One alert per occurrence (fingerprint + startsAt): a retried or repeated notification of an
    // occurrence already held — or already resolved — never opens a second one. Rule alerts have
    // no starts_at and are not in it.
    await db.schema.createIndex('alerts_alertmanager_occurrence').on('alerts').columns(['fingerprint', 'starts_at']).unique().where(sql.ref('source'), '=', 'alertmanager').execute();
  },
};
