import { type Kysely, type Migration } from 'kysely';

/**
 * Account requests and pending registrations.
 *
 * `account_requests`: a registration or password reset as the request left it, worked off the
 * request path, so the request costs the same whether or not the address has an account.
 *
 * `pending_registrations`: under AUTH_EMAIL_VERIFICATION=required, registering creates no account
 * until the link is opened and the chosen password given again; until then the address is
 * nobody's, and signing in with it fails like any unknown address.
 *
 * `users.credentials_changed_at`: when a password reset last moved the credential generation on;
 * an access token issued before it cannot start a session (organisation switch).
 */
export const accountRequestsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('credentials_changed_at', 'text').execute();
    await db.schema
      .createTable('account_requests')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('email', 'text', (column) => column.notNull())
      .addColumn('ip', 'text', (column) => column.notNull())
      .addColumn('payload', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('account_requests_due').on('account_requests').column('next_attempt_at').execute();
    await db.schema
      .createTable('pending_registrations')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('email', 'text', (column) => column.notNull())
      .addColumn('password_hash', 'text', (column) => column.notNull())
      .addColumn('display_name', 'text')
      .addColumn('organisation_name', 'text')
      .addColumn('token_hash', 'text', (column) => column.notNull().unique())
      .addColumn('tries', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('pending_registrations_of_email').on('pending_registrations').column('email').execute();
    await db.schema.createIndex('pending_registrations_expiry').on('pending_registrations').column('expires_at').execute();
  },
};
