import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from '@lift/kit';
import type { ObservabilityTables } from '../tables.js';
import type { AlertState, MonitoringTables } from '../monitoring/monitoring-tables.js';

export type AlertRuleRow = Selectable<MonitoringTables['alert_rules']>;
export type AlertRow = Selectable<MonitoringTables['alerts']>;
export type DeliveryRow = Selectable<MonitoringTables['alert_deliveries']>;

/** Where a page of alerts ends: the last alert's fired_at and id (newest first). */
export interface AlertPosition {
  readonly firedAt: string;
  readonly id: string;
}

/** Alert rules, alerts and the notification outbox. */
export function monitoringAlertsStore(db: Kysely<ObservabilityTables>) {
  return {
    rules: (): Promise<AlertRuleRow[]> => db.selectFrom('alert_rules').selectAll().orderBy('created_at').orderBy('name').orderBy('id').execute(),
    rule: (id: string): Promise<AlertRuleRow | undefined> => db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst(),
    async insertRule(row: AlertRuleRow): Promise<void> {
      await db.insertInto('alert_rules').values(row).execute();
    },
    async updateRule(row: AlertRuleRow): Promise<boolean> {
      const { id, created_at: _created, ...changes } = row;
      return Number((await db.updateTable('alert_rules').set(changes).where('id', '=', id).executeTakeFirst()).numUpdatedRows) === 1;
    },
    async deleteRule(id: string): Promise<boolean> {
      return Number((await db.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst()).numDeletedRows) === 1;
    },

    marker: (name: string) => db.selectFrom('monitoring_markers').select('set_at').where('name', '=', name).executeTakeFirst(),
    /** Sets a marker once; false when it was set already (another replica seeded first). */
    async setMarker(name: string, at: string): Promise<boolean> {
      try {
        await db.insertInto('monitoring_markers').values({ name, set_at: at }).execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    openAlerts: (): Promise<AlertRow[]> => db.selectFrom('alerts').selectAll().where('state', '<>', 'resolved').orderBy('fired_at', 'desc').orderBy('id', 'desc').execute(),
    alert: (id: string): Promise<AlertRow | undefined> => db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Opens an alert unless one is open for its fingerprint already (the unique partial index decides). */
    async openAlert(row: AlertRow): Promise<boolean> {
      try {
        await db.insertInto('alerts').values(row).execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async listAlerts(filter: { state?: AlertState; after?: AlertPosition; limit: number }): Promise<AlertRow[]> {
      let query = db.selectFrom('alerts').selectAll();
      if (filter.state) query = query.where('state', '=', filter.state);
      const after = filter.after;
      if (after) query = query.where((eb) => eb.or([eb('fired_at', '<', after.firedAt), eb.and([eb('fired_at', '=', after.firedAt), eb('id', '<', after.id)])]));
      return query.orderBy('fired_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    },

    /** Moves an alert from one of `from` to acknowledged or resolved; false when it was in none of them (someone else won). */
    async transition(id: string, from: readonly AlertState[], to: { state: 'acknowledged'; at: string; by: string } | { state: 'resolved'; at: string; by: string }): Promise<boolean> {
      const changes = to.state === 'acknowledged' ? { state: to.state, acknowledged_at: to.at, acknowledged_by: to.by } : { state: to.state, resolved_at: to.at, resolved_by: to.by };
      const updated = await db.updateTable('alerts').set(changes).where('id', '=', id).where('state', 'in', [...from]).executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    async insertDeliveries(rows: readonly DeliveryRow[]): Promise<void> {
      if (rows.length > 0) await db.insertInto('alert_deliveries').values([...rows]).execute();
    },
    dueDeliveries: (now: string, limit: number): Promise<DeliveryRow[]> =>
      db.selectFrom('alert_deliveries').selectAll().where('state', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit).execute(),
    /**
     * Takes a due delivery for one attempt: counts the attempt and moves next_attempt_at to
     * `claimedUntil`, so nobody else sends it meanwhile. Conditional on the row being as it was
     * read (still pending, same attempt count), so of several replicas claiming it at once exactly
     * one wins; the others get false. Should the winner die, the row is due again at claimedUntil.
     */
    async claimDelivery(seen: Pick<DeliveryRow, 'id' | 'attempts'>, at: string, claimedUntil: string): Promise<boolean> {
      const updated = await db
        .updateTable('alert_deliveries')
        .set({ attempts: seen.attempts + 1, last_attempt_at: at, next_attempt_at: claimedUntil })
        .where('id', '=', seen.id)
        .where('state', '=', 'pending')
        .where('attempts', '=', seen.attempts)
        .where('next_attempt_at', '<=', at)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },
    /** The outcome of the attempt `claimDelivery` counted; false (nothing written) when another sender has claimed the row since. */
    async recordAttempt(id: string, attempts: number, changes: Pick<DeliveryRow, 'state' | 'next_attempt_at' | 'last_status' | 'last_error' | 'delivered_at'>): Promise<boolean> {
      const updated = await db.updateTable('alert_deliveries').set(changes).where('id', '=', id).where('state', '=', 'pending').where('attempts', '=', attempts).executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },
    deliveriesOf: (alertId: string): Promise<DeliveryRow[]> => db.selectFrom('alert_deliveries').selectAll().where('alert_id', '=', alertId).orderBy('created_at').orderBy('id').execute(),
  };
}
