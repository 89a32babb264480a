import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type UserRow = AuthTables['users'];

export function usersStore(db: Kysely<AuthTables>) {
  return {
    byEmail: (email: string) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),
    byId: (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    insert: (row: UserRow) => db.insertInto('users').values(row).execute(),
    updatePasswordHash: (id: string, passwordHash: string, at: string) =>
      db.updateTable('users').set({ password_hash: passwordHash, updated_at: at }).where('id', '=', id).execute(),
    /** Keeps the first verification time: a later link proves nothing new. */
    markEmailVerified: (id: string, at: string) =>
      db.updateTable('users').set({ email_verified_at: at, updated_at: at }).where('id', '=', id).where('email_verified_at', 'is', null).execute(),
  };
}

export type UsersStore = ReturnType<typeof usersStore>;
