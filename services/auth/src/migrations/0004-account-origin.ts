import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Who created each account: a person registering (`registration`) or the platform bootstrap from
 * LIFT_ADMIN_EMAIL (`bootstrap`), which promotes only accounts it created itself. Accounts from
 * before: registration has always written a `user.registered` audit event in the same transaction,
 * and bootstrap never did, so an account without one was created by bootstrap.
 */
export const accountOriginMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('origin', 'text', (column) => column.notNull().defaultTo('registration')).execute();
    await sql`update users set origin = 'bootstrap' where id not in (select target_id from audit_events where action = 'user.registered' and target_id is not null)`.execute(db);
  },
};
