import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type RefreshTokenRow = AuthTables['refresh_tokens'];

/** Refresh tokens, found by the hash of the token (the token itself is never stored). */
export function refreshTokensStore(db: Kysely<AuthTables>) {
  const live = () => db.updateTable('refresh_tokens').where('revoked_at', 'is', null);
  return {
    byHash: (tokenHash: string) => db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),
    insert: (row: RefreshTokenRow) => db.insertInto('refresh_tokens').values(row).execute(),
    /**
     * Marks the token used unless it is already used or revoked; false if it was. Run it in the transaction that
     * stores the successor: a concurrent rotation of the same token waits on the row.
     */
    markUsed: async (id: string, at: string) => Number((await live().set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst()).numUpdatedRows) === 1,
    usedAt: async (id: string) => (await db.selectFrom('refresh_tokens').select('used_at').where('id', '=', id).executeTakeFirstOrThrow()).used_at,
    /**
     * Whether any token of the family is revoked. Revocations end whole families, but a successor
     * stored by a rotation that raced the revoking statement is not in that statement's snapshot
     * (PostgreSQL, read committed) and stays unrevoked: its family's other tokens say it is over.
     */
    familyRevoked: async (familyId: string) =>
      (await db.selectFrom('refresh_tokens').select('id').where('family_id', '=', familyId).where('revoked_at', 'is not', null).limit(1).executeTakeFirst()) !== undefined,
    revokeFamily: (familyId: string, at: string) => live().set({ revoked_at: at }).where('family_id', '=', familyId).execute(),
    /** Every session of a user, in every organisation (a password reset). */
    revokeUser: (userId: string, at: string) => live().set({ revoked_at: at }).where('user_id', '=', userId).execute(),
    /** Every session of a user in one organisation. */
    revokeMember: (userId: string, organisationId: string, at: string) => live().set({ revoked_at: at }).where('user_id', '=', userId).where('organisation_id', '=', organisationId).execute(),
  };
}
