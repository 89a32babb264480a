import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

/** Secrets made once per installation and shared by every replica (see server-secrets.ts). */
export function serverSecretsStore(db: Kysely<AuthTables>) {
  return {
    value: async (name: string) => (await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirst())?.value,
    /** Fails with a unique violation when another replica made it first. */
    insert: (row: AuthTables['server_secrets']) => db.insertInto('server_secrets').values(row).execute(),
  };
}
