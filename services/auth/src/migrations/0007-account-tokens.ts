import { sql, type Kysely, type Migration } from 'kysely';

/**
 * One-time account tokens (e-mail verification, password reset), when each address was verified,
 * and the credential generation that a reset moves on. Tokens are stored as SHA-256 hashes only. Accounts from before stay unverified — no
 * earlier step proved their mailbox — except bootstrap's: the operator named that address.
 */
export const accountTokensMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();
    await sql`update users set email_verified_at = created_at where origin = 'bootstrap'`.execute(db);
    // A password reset increments the account's generation; a session (refresh-token family)
    // keeps the generation it started under and dies when the account's moves on — also the
    // sessions that were refreshing or logging in while the reset ran.
    await db.schema.alterTable('users').addColumn('credential_generation', 'integer', (column) => column.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('refresh_tokens').addColumn('generation', 'integer', (column) => column.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('account_tokens')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (column) => column.notNull())
      .addColumn('token_hash', 'text', (column) => column.notNull().unique())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'text', (column) => column.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('account_tokens_of_user').on('account_tokens').columns(['user_id', 'purpose']).execute();
  },
};
