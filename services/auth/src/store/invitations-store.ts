import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type InvitationRow = AuthTables['invitations'];

/** Invitations into organisations; a pending one is neither accepted, revoked nor expired. */
export function invitationsStore(db: Kysely<AuthTables>) {
  const pending = (now: string) => db.selectFrom('invitations').selectAll().where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now);
  return {
    insert: (row: InvitationRow) => db.insertInto('invitations').values(row).execute(),
    pendingOf: (organisationId: string, now: string) => pending(now).where('organisation_id', '=', organisationId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute(),
    pendingById: (organisationId: string, id: string, now: string) => pending(now).where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst(),
    pendingByHash: (tokenHash: string, now: string) => pending(now).where('token_hash', '=', tokenHash).executeTakeFirst(),

    /** Ends the pending invitations of an address into an organisation (a newer one replaces them). */
    revokePendingFor: (organisationId: string, email: string, at: string) =>
      db.updateTable('invitations').set({ revoked_at: at }).where('organisation_id', '=', organisationId).where('email', '=', email).where('accepted_at', 'is', null).where('revoked_at', 'is', null).execute(),

    /**
     * Revokes the invitations still open that a person made in an organisation, except those of
     * the roles in `keep` (what their new role may still invite); answers the ids revoked.
     */
    revokeOpenBy: async (organisationId: string, invitedBy: string, keep: readonly string[], at: string): Promise<string[]> => {
      // One conditional update answering what it changed: an acceptance committed meanwhile is
      // neither revoked nor reported as revoked.
      let open = db.updateTable('invitations').set({ revoked_at: at }).where('organisation_id', '=', organisationId).where('invited_by', '=', invitedBy).where('accepted_at', 'is', null).where('revoked_at', 'is', null);
      if (keep.length > 0) open = open.where('role', 'not in', keep);
      return (await open.returning('id').execute()).map((row) => row.id);
    },

    /** False when it was no longer pending (accepted or revoked meanwhile). */
    revoke: async (id: string, at: string): Promise<boolean> =>
      Number((await db.updateTable('invitations').set({ revoked_at: at }).where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst()).numUpdatedRows) === 1,

    /** The conditional update that makes an invitation single-use under parallel acceptances. */
    markAccepted: async (id: string, userId: string, now: string): Promise<boolean> =>
      Number(
        (
          await db
            .updateTable('invitations')
            .set({ accepted_at: now, accepted_by: userId })
            .where('id', '=', id)
            .where('accepted_at', 'is', null)
            .where('revoked_at', 'is', null)
            .where('expires_at', '>', now)
            .executeTakeFirst()
        ).numUpdatedRows,
      ) === 1,
  };
}

export type InvitationsStore = ReturnType<typeof invitationsStore>;
