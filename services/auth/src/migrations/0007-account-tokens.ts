import { sql, type Kysely, type Migration } from 'kysely';

/**
 * One-time account tokens (e-mail verification, password reset) and when each address was
 * verified. Tokens are stored as SHA-256 hashes only. Accounts from before stay unverified — no
 * earlier step proved their mailbox — except bootstrap's: the operator named that address.
 */
export const accountTokensMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();
    await sql`update users set email_verified_at = created_at where origin = 'bootstrap'`.execute(db);
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
