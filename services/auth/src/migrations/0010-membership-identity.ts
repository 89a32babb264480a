import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Each membership gets an identity of its own, and each refresh token the identity of the
 * membership its session began under. A session is refused once the person's membership is not
 * that one any more: a login that raced a removal started a family the removal's revocation never
 * saw, and adding the person back (a new membership) must not bring it back. An identity, not a
 * time: auth's replicas' clocks need not agree. Memberships from before get one made of what
 * tells them apart; refresh tokens from before have none, and are not checked.
 */
export const membershipIdentityMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('memberships').addColumn('membership_id', 'text').execute();
    await db.schema.alterTable('refresh_tokens').addColumn('membership_id', 'text').execute();
    await sql`update memberships set membership_id = organisation_id || ':' || user_id || ':' || created_at`.execute(db);
  },
};
