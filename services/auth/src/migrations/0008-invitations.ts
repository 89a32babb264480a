import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Invitations into an organisation: the token in the invitation's link is stored only as its
 * hash; an invitation ends accepted, revoked or expired, and is kept for the record. One open
 * invitation per address and organisation.
 */
export const invitationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('invitations')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('email', 'text', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('token_hash', 'text', (column) => column.notNull().unique())
      .addColumn('invited_by', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'text', (column) => column.notNull())
      .addColumn('accepted_at', 'text')
      .addColumn('accepted_by', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('invitations_of_organisation').on('invitations').columns(['organisation_id', 'email']).execute();
    // At most one open invitation of an address into an organisation: a newer one replaces it,
    // and parallel ones cannot both stay (expired ones count until replaced, which revokes them).
    await sql`create unique index invitations_one_open on invitations (organisation_id, email) where accepted_at is null and revoked_at is null`.execute(db);
  },
};
