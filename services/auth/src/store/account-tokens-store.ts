import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type AccountTokenRow = AuthTables['account_tokens'];
export type AccountTokenPurpose = AccountTokenRow['purpose'];

/** One-time account tokens, found by their hash. */
export function accountTokensStore(db: Kysely<AuthTables>) {
  return {
    insert: (row: AccountTokenRow) => db.insertInto('account_tokens').values(row).execute(),

    /** Ends the user's unused tokens of a purpose: only the newest link works. */
    spendUnused: (userId: string, purpose: AccountTokenPurpose, at: string) =>
      db.updateTable('account_tokens').set({ used_at: at }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute(),

    /**
     * Marks the token used if it is of this purpose, unused and unexpired, and answers its user;
     * undefined otherwise. The conditional update decides: of two parallel redemptions one
     * updates the row, the other matches none.
     */
    redeem: async (tokenHash: string, purpose: AccountTokenPurpose, now: string): Promise<string | undefined> => {
      const row = await db.selectFrom('account_tokens').select(['id', 'user_id']).where('token_hash', '=', tokenHash).where('purpose', '=', purpose).executeTakeFirst();
      if (!row) return undefined;
      const claim = await db
        .updateTable('account_tokens')
        .set({ used_at: now })
        .where('id', '=', row.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(claim.numUpdatedRows) === 1 ? row.user_id : undefined;
    },
  };
}

export type AccountTokensStore = ReturnType<typeof accountTokensStore>;
