import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type UserRow = AuthTables['users'];

export function usersStore(db: Kysely<AuthTables>) {
  return {
    byEmail: (email: string) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),
    byId: (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    insert: (row: Omit<UserRow, 'credential_generation' | 'credentials_changed_at'>) => db.insertInto('users').values({ ...row, credential_generation: 0, credentials_changed_at: null }).execute(),
    /** The generation sessions start under now (login reads it with the password hash instead), and when it last moved. */
    credentials: (id: string) => db.selectFrom('users').select(['credential_generation', 'credentials_changed_at']).where('id', '=', id).executeTakeFirst(),
    /** A password reset: every session started under the old generation is dead from its commit. */
    nextCredentialGeneration: (id: string, at: string) =>
      db.updateTable('users').set((eb) => ({ credential_generation: eb('credential_generation', '+', 1), credentials_changed_at: at, updated_at: at })).where('id', '=', id).execute(),
    updatePasswordHash: (id: string, passwordHash: string, at: string) =>
      db.updateTable('users').set({ password_hash: passwordHash, updated_at: at }).where('id', '=', id).execute(),
    /**
     * Replaces the hash of the same password by a stronger one, only if the stored hash is still
     * the one checked: a password reset committed meanwhile is never undone by a login's upgrade.
     */
    upgradePasswordHash: (id: string, checkedHash: string, passwordHash: string, at: string) =>
      db.updateTable('users').set({ password_hash: passwordHash, updated_at: at }).where('id', '=', id).where('password_hash', '=', checkedHash).execute(),
    /** Keeps the first verification time: a later link proves nothing new. */
    markEmailVerified: (id: string, at: string) =>
      db.updateTable('users').set({ email_verified_at: at, updated_at: at }).where('id', '=', id).where('email_verified_at', 'is', null).execute(),
  };
}

export type UsersStore = ReturnType<typeof usersStore>;
