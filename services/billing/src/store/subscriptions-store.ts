import type { Kysely } from 'kysely';
import type { BillingTables } from '../tables.js';

export type SubscriptionRow = BillingTables['subscriptions'];

// SQLite binds at most 32,766 parameters per query; a batch may name more organisations.
const idsPerQuery = 1_000;

/** One subscription per organisation (the Stripe columns are the Stripe store's). */
export function subscriptionsStore(db: Kysely<BillingTables>) {
  return {
    of: (organisationId: string) => db.selectFrom('subscriptions').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst(),
    all: () => db.selectFrom('subscriptions').selectAll().execute(),
    /** What revenue is computed from. */
    plansAndTrials: () => db.selectFrom('subscriptions').select(['plan_id', 'trial_ends_at']).execute(),
    /** Among `organisationIds`, those that have a subscription. */
    subscribedAmong: async (organisationIds: readonly string[]): Promise<Set<string>> => {
      const subscribed = new Set<string>();
      for (let start = 0; start < organisationIds.length; start += idsPerQuery) {
        const rows = await db.selectFrom('subscriptions').select('organisation_id').where('organisation_id', 'in', organisationIds.slice(start, start + idsPerQuery)).execute();
        for (const row of rows) subscribed.add(row.organisation_id);
      }
      return subscribed;
    },
    /** Fails with a unique violation when the organisation has one. */
    insert: (row: SubscriptionRow) => db.insertInto('subscriptions').values(row).execute(),
    update: (organisationId: string, change: Partial<SubscriptionRow>) => db.updateTable('subscriptions').set(change).where('organisation_id', '=', organisationId).execute(),
  };
}
