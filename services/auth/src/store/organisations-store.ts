import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type OrganisationRow = AuthTables['organisations'];
export type MembershipRow = AuthTables['memberships'];

export interface MembershipWithOrganisation {
  readonly organisationId: string;
  readonly organisationName: string;
  readonly kind: 'tenant' | 'platform';
  readonly role: string;
  readonly since: string;
}

export interface MemberWithUser {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string | null;
  readonly role: string;
  readonly since: string;
}

export function organisationsStore(db: Kysely<AuthTables>) {
  return {
    byId: (id: string) => db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst(),
    platform: () => db.selectFrom('organisations').selectAll().where('kind', '=', 'platform').executeTakeFirst(),
    insert: (row: OrganisationRow) => db.insertInto('organisations').values(row).execute(),
    /** A new membership, with an identity of its own (see migration 0010). */
    addMember: (row: Omit<MembershipRow, 'membership_id'>) => db.insertInto('memberships').values({ ...row, membership_id: randomUUID() }).execute(),
    membership: (organisationId: string, userId: string) =>
      db.selectFrom('memberships').selectAll().where('organisation_id', '=', organisationId).where('user_id', '=', userId).executeTakeFirst(),
    membershipsOf: async (userId: string): Promise<MembershipWithOrganisation[]> => {
      const rows = await db
        .selectFrom('memberships')
        .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
        .select(['organisations.id', 'organisations.name', 'organisations.kind', 'memberships.role', 'memberships.created_at'])
        .where('memberships.user_id', '=', userId)
        .orderBy('memberships.created_at', 'asc')
        .orderBy('organisations.id', 'asc')
        .execute();
      return rows.map((row) => ({ organisationId: row.id, organisationName: row.name, kind: row.kind, role: row.role, since: row.created_at }));
    },
    membersOf: async (organisationId: string): Promise<MemberWithUser[]> => {
      const rows = await db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['users.id', 'users.email', 'users.display_name', 'memberships.role', 'memberships.created_at'])
        .where('memberships.organisation_id', '=', organisationId)
        .orderBy('memberships.created_at', 'asc')
        .orderBy('users.id', 'asc')
        .execute();
      return rows.map((row) => ({ userId: row.id, email: row.email, displayName: row.display_name, role: row.role, since: row.created_at }));
    },
    countOwners: async (organisationId: string): Promise<number> => {
      const row = await db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<number>().as('owners'))
        .where('organisation_id', '=', organisationId)
        .where('role', '=', 'owner')
        .executeTakeFirstOrThrow();
      return Number(row.owners);
    },
    changeRole: (organisationId: string, userId: string, role: string) =>
      db.updateTable('memberships').set({ role }).where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute(),
    removeMember: (organisationId: string, userId: string) =>
      db.deleteFrom('memberships').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute(),
  };
}

export type OrganisationsStore = ReturnType<typeof organisationsStore>;
