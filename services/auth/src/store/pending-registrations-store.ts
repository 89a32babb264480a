import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type PendingRegistrationRow = AuthTables['pending_registrations'];

/** Registrations waiting for their link (AUTH_EMAIL_VERIFICATION=required). */
export function pendingRegistrationsStore(db: Kysely<AuthTables>) {
  return {
    insert: (row: Omit<PendingRegistrationRow, 'tries'>) => db.insertInto('pending_registrations').values({ ...row, tries: 0 }).execute(),

    /** The unexpired registration of a link's token. */
    byTokenHash: (tokenHash: string, now: string) =>
      db.selectFrom('pending_registrations').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst(),

    /**
     * Spends one of the link's password tries before the password is checked, so a parallel burst
     * is held to `max` checks as a sequence is: false when none is left.
     */
    spendTry: async (id: string, max: number): Promise<boolean> =>
      Number(
        (await db.updateTable('pending_registrations').set((eb) => ({ tries: eb('tries', '+', 1) })).where('id', '=', id).where('tries', '<', max).executeTakeFirst()).numUpdatedRows,
      ) === 1,

    /** Tries spent so far. */
    triesSpent: async (id: string): Promise<number> => (await db.selectFrom('pending_registrations').select('tries').where('id', '=', id).executeTakeFirst())?.tries ?? Number.POSITIVE_INFINITY,

    /** Takes the registration for the caller's transaction; false when another request took it first or it expired. */
    claim: async (id: string, now: string): Promise<boolean> =>
      Number((await db.deleteFrom('pending_registrations').where('id', '=', id).where('expires_at', '>', now).executeTakeFirst()).numDeletedRows) === 1,

    remove: (id: string) => db.deleteFrom('pending_registrations').where('id', '=', id).execute(),

    /** Every other registration of the address: the account exists now, their links are dead. */
    removeForEmail: (email: string) => db.deleteFrom('pending_registrations').where('email', '=', email).execute(),

    removeExpired: (now: string) => db.deleteFrom('pending_registrations').where('expires_at', '<=', now).execute(),
  };
}

export type PendingRegistrationsStore = ReturnType<typeof pendingRegistrationsStore>;
