import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type PendingRegistrationRow = AuthTables['pending_registrations'];

/** Registrations waiting for their link (AUTH_EMAIL_VERIFICATION=required). */
export function pendingRegistrationsStore(db: Kysely<AuthTables>) {
  return {
    insert: (row: Omit<PendingRegistrationRow, 'failed_attempts'>) => db.insertInto('pending_registrations').values({ ...row, failed_attempts: 0 }).execute(),

    /** The unexpired registration of a link's token. */
    byTokenHash: (tokenHash: string, now: string) =>
      db.selectFrom('pending_registrations').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst(),

    /** Counts a wrong password given with the link and answers how many there have been. */
    recordFailedAttempt: async (id: string): Promise<number> => {
      await db.updateTable('pending_registrations').set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) })).where('id', '=', id).execute();
      return (await db.selectFrom('pending_registrations').select('failed_attempts').where('id', '=', id).executeTakeFirst())?.failed_attempts ?? Number.POSITIVE_INFINITY;
    },

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
