import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Signing keys get a start: a key is published before it signs (so every verifier knows it when
 * its first token arrives), and can be revoked (removed from the JWKS at once).
 */
export const signingKeyScheduleMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('signing_keys').addColumn('sign_from', 'text').execute();
    await db.schema.alterTable('signing_keys').addColumn('revoked_at', 'text').execute();
    await sql`update signing_keys set sign_from = created_at`.execute(db);
    // Replicas that schedule the same successor collide here instead of publishing two.
    await db.schema.createIndex('signing_keys_sign_from').on('signing_keys').column('sign_from').unique().where(sql.ref('revoked_at'), 'is', null).execute();
  },
};
