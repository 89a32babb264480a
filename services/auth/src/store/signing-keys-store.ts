import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type SigningKeyRow = AuthTables['signing_keys'];

/** Every query on the signing keys. Times are ISO strings, which compare in time order. */
export function signingKeysStore(db: Kysely<AuthTables>) {
  const live = () => db.selectFrom('signing_keys').selectAll().where('revoked_at', 'is', null);
  return {
    /** The key that signs at `at`: the latest started one whose time is not up. */
    signingAt: (at: string) => live().where('sign_from', '<=', at).where('sign_until', '>', at).orderBy('sign_from', 'desc').limit(1).executeTakeFirst(),
    startingAt: (at: string) => live().where('sign_from', '=', at).executeTakeFirst(),
    /** What the JWKS publishes: keys that sign, will sign, or signed tokens that may still be alive. */
    publishedAt: (at: string) => live().where('publish_until', '>', at).orderBy('sign_from', 'desc').execute(),
    all: () => db.selectFrom('signing_keys').selectAll().orderBy('sign_from', 'desc').execute(),
    byKid: (kid: string) => db.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst(),
    insert: (row: SigningKeyRow) => db.insertInto('signing_keys').values(row).execute(),
    endSigningAt: (kid: string, at: string) => db.updateTable('signing_keys').set({ sign_until: at }).where('kid', '=', kid).where('sign_until', '>', at).execute(),
    /** Keys scheduled to sign after `at` that have never signed: safe to forget when a rotation replaces them. */
    discardUnstartedAfter: (at: string, keep: string) => db.deleteFrom('signing_keys').where('sign_from', '>', at).where('kid', '!=', keep).execute(),
    revoke: (kid: string, at: string) =>
      db.updateTable('signing_keys').set({ revoked_at: at, publish_until: at }).where('kid', '=', kid).where('revoked_at', 'is', null).executeTakeFirst(),
  };
}

export type SigningKeysStore = ReturnType<typeof signingKeysStore>;
