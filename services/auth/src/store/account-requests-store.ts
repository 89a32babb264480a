import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type AccountRequestRow = AuthTables['account_requests'];

/** Account requests waiting to be worked off the request path. */
export function accountRequestsStore(db: Kysely<AuthTables>) {
  return {
    insert: (row: Omit<AccountRequestRow, 'attempts'>) => db.insertInto('account_requests').values({ ...row, attempts: 0 }).execute(),

    due: (now: string, limit: number) => db.selectFrom('account_requests').selectAll().where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit).execute(),

    /**
     * Takes the request for the caller's transaction: of two replicas working the same request,
     * one deletes the row; the other's delete waits for that commit and then matches nothing.
     */
    claim: async (id: string): Promise<boolean> => Number((await db.deleteFrom('account_requests').where('id', '=', id).executeTakeFirst()).numDeletedRows) === 1,

    postpone: (id: string, attempts: number, nextAttemptAt: string) => db.updateTable('account_requests').set({ attempts, next_attempt_at: nextAttemptAt }).where('id', '=', id).execute(),

    remove: (id: string) => db.deleteFrom('account_requests').where('id', '=', id).execute(),
  };
}

export type AccountRequestsStore = ReturnType<typeof accountRequestsStore>;
