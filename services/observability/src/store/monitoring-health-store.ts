import { sql, type Kysely, type Selectable } from 'kysely';
import type { ObservabilityTables } from '../tables.js';
import type { MonitoringTables } from '../monitoring/monitoring-tables.js';

export type ServiceCheckRow = Selectable<MonitoringTables['service_checks']>;
export type CheckHourRow = Selectable<MonitoringTables['service_check_hours']>;
export type MonitoredTargetRow = Selectable<MonitoringTables['monitored_targets']>;

type Timed = 'service_checks' | 'service_check_hours' | 'service_metric_samples';
const timeColumn = { service_checks: 'checked_at', service_check_hours: 'hour', service_metric_samples: 'sampled_at' } as const;

/** Probe history, hourly roll-ups and the current state of every target. */
export function monitoringHealthStore(db: Kysely<ObservabilityTables>) {
  return {
    async insertChecks(rows: readonly ServiceCheckRow[]): Promise<void> {
      if (rows.length > 0) await db.insertInto('service_checks').values([...rows]).execute();
    },

    hour: (target: string, hour: string): Promise<CheckHourRow | undefined> =>
      db.selectFrom('service_check_hours').selectAll().where('target', '=', target).where('hour', '=', hour).executeTakeFirst(),

    async saveHour(row: CheckHourRow, exists: boolean): Promise<void> {
      if (exists) {
        await db.updateTable('service_check_hours').set({ checks: row.checks, up_checks: row.up_checks, latencies: row.latencies }).where('target', '=', row.target).where('hour', '=', row.hour).execute();
      } else {
        await db.insertInto('service_check_hours').values(row).execute();
      }
    },

    /** Raw checks of every target since `from` (the 1 h window: at most 360 rows per service at 10 s). */
    checksSince: (from: string): Promise<Pick<ServiceCheckRow, 'target' | 'state' | 'latency_ms'>[]> =>
      db.selectFrom('service_checks').select(['target', 'state', 'latency_ms']).where('checked_at', '>=', from).execute(),

    hoursSince: (fromHour: string): Promise<CheckHourRow[]> => db.selectFrom('service_check_hours').selectAll().where('hour', '>=', fromHour).execute(),

    /** The newest checks of one target, newest first. */
    recentChecks: (target: string, limit: number): Promise<ServiceCheckRow[]> =>
      db.selectFrom('service_checks').selectAll().where('target', '=', target).orderBy('checked_at', 'desc').limit(limit).execute(),

    targets: (): Promise<MonitoredTargetRow[]> => db.selectFrom('monitored_targets').selectAll().orderBy('kind', 'desc').orderBy('name').execute(),

    async saveTarget(row: MonitoredTargetRow): Promise<void> {
      const updated = await db.updateTable('monitored_targets').set(row).where('kind', '=', row.kind).where('name', '=', row.name).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await db.insertInto('monitored_targets').values(row).execute();
    },

    async deleteModulesOtherThan(names: readonly string[]): Promise<void> {
      let query = db.deleteFrom('monitored_targets').where('kind', '=', 'module');
      if (names.length > 0) query = query.where('name', 'not in', [...names]);
      await query.execute();
    },

    /**
     * Deletes up to `chunk` of the oldest rows before `cutoff` and says how many went: retention
     * in small steps, so a week of backlog never holds one long transaction or lock.
     */
    async deleteOldest(table: Timed, cutoff: string, chunk: number): Promise<number> {
      const column = sql.ref(timeColumn[table]);
      const boundary = await sql<{ at: string }>`select ${column} as at from ${sql.table(table)} where ${column} < ${cutoff} order by ${column} limit 1 offset ${chunk}`.execute(db);
      const before = boundary.rows[0]?.at ?? cutoff;
      const deleted = await sql`delete from ${sql.table(table)} where ${column} < ${before}`.execute(db);
      return Number(deleted.numAffectedRows ?? 0);
    },
  };
}
