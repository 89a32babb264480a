import type { Kysely } from 'kysely';
import { isUniqueViolation } from '@lift/kit';
import type { ObservabilityTables } from '../tables.js';
import type { AlertRow } from './monitoring-alerts-store.js';

/** What a post of Alertmanager's says of one alert, beside its identity (fingerprint, startsAt). */
export type AlertmanagerAlertDetails = Pick<AlertRow, 'rule_name' | 'target' | 'severity' | 'summary' | 'ends_at' | 'labels' | 'annotations' | 'generator_url' | 'receiver' | 'received_at'>;

/**
 * Alertmanager's alerts in the alerts table. Every write is one conditional statement, so
 * parallel posts of one payload (Alertmanager retries) settle in the database, not in memory.
 */
export function monitoringAlertmanagerStore(db: Kysely<ObservabilityTables>) {
  const openOf = (fingerprint: string, startsAt: string) =>
    db.updateTable('alerts').where('fingerprint', '=', fingerprint).where('source', '=', 'alertmanager').where('state', '<>', 'resolved').where('starts_at', '<=', startsAt);
  return {
    /**
     * Updates the open alert of `fingerprint` with a newer post, unless that post is of an earlier
     * occurrence than the one held (a late retry); its state (firing or acknowledged) stays.
     */
    async refreshOpen(fingerprint: string, startsAt: string, details: AlertmanagerAlertDetails): Promise<boolean> {
      try {
        return Number((await openOf(fingerprint, startsAt).set({ ...details, starts_at: startsAt }).executeTakeFirst()).numUpdatedRows) === 1;
      } catch (error) {
        // Moving the open alert to a newer occurrence (its resolution never arrived) that is
        // known already, resolved: that one stands, this post changes nothing.
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    /**
     * Whether an occurrence of `fingerprint` later than `startsAt` is known, open or resolved: a
     * post about an earlier one is a late retry (or a second Alertmanager of an HA pair), and must
     * not open it again — the open row moves on to newer occurrences, so the unique index alone no
     * longer remembers the earlier one.
     */
    async laterOccurrenceKnown(fingerprint: string, startsAt: string): Promise<boolean> {
      const later = await db.selectFrom('alerts').select('id').where('fingerprint', '=', fingerprint).where('source', '=', 'alertmanager').where('starts_at', '>', startsAt).limit(1).executeTakeFirst();
      return later !== undefined;
    },
    /** Inserts an alert unless its fingerprint is open or its occurrence known (the unique indexes say); false then. */
    async openIfNew(row: AlertRow): Promise<boolean> {
      const inserted = await db.insertInto('alerts').values(row).onConflict((conflict) => conflict.doNothing()).executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    /** Resolves the open alert of `fingerprint` by `alertmanager`, unless it is of a later occurrence than the one that ended. */
    async resolveOpen(fingerprint: string, startsAt: string, details: AlertmanagerAlertDetails): Promise<boolean> {
      const changes = { ...details, state: 'resolved' as const, resolved_at: details.received_at, resolved_by: 'alertmanager' };
      return Number((await openOf(fingerprint, startsAt).set(changes).executeTakeFirst()).numUpdatedRows) === 1;
    },
  };
}
