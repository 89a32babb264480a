import type { Kysely } from 'kysely';
import type { AuthTables } from '../tables.js';

export type ApiKeyRow = AuthTables['api_keys'];

/** API keys, found by id within their organisation, or by the hash of the key (never stored itself). */
export function apiKeysStore(db: Kysely<AuthTables>) {
  const liveCreatedBy = (organisationId: string, userId: string) =>
    db.selectFrom('api_keys').select('id').where('organisation_id', '=', organisationId).where('created_by', '=', userId).where('revoked_at', 'is', null);
  return {
    insert: (row: ApiKeyRow) => db.insertInto('api_keys').values(row).execute(),
    of: (organisationId: string) => db.selectFrom('api_keys').selectAll().where('organisation_id', '=', organisationId).orderBy('created_at', 'desc').orderBy('id').execute(),
    byId: (organisationId: string, id: string) => db.selectFrom('api_keys').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst(),
    byHash: (keyHash: string) => db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst(),
    validity: (id: string) => db.selectFrom('api_keys').select(['revoked_at', 'expires_at']).where('id', '=', id).executeTakeFirst(),
    liveIdsCreatedBy: async (organisationId: string, userId: string) => (await liveCreatedBy(organisationId, userId).execute()).map((row) => row.id),
    /** Revokes the live keys a member created in an organisation; the ids of those it revoked. */
    revokeCreatedBy: async (organisationId: string, userId: string, at: string): Promise<string[]> => {
      const ids = (await liveCreatedBy(organisationId, userId).execute()).map((row) => row.id);
      if (ids.length === 0) return [];
      await db.updateTable('api_keys').set({ revoked_at: at }).where('id', 'in', ids).where('revoked_at', 'is', null).execute();
      return ids;
    },
    /** Revokes every live key a person created, in any organisation; what it revoked. */
    revokeAllCreatedBy: async (userId: string, at: string): Promise<{ id: string; organisationId: string }[]> => {
      const rows = await db.selectFrom('api_keys').select(['id', 'organisation_id']).where('created_by', '=', userId).where('revoked_at', 'is', null).execute();
      if (rows.length === 0) return [];
      await db.updateTable('api_keys').set({ revoked_at: at }).where('id', 'in', rows.map((row) => row.id)).where('revoked_at', 'is', null).execute();
      return rows.map((row) => ({ id: row.id, organisationId: row.organisation_id }));
    },
    /** False when there is no such live key in the organisation. */
    revoke: async (organisationId: string, id: string, at: string) =>
      Number((await db.updateTable('api_keys').set({ revoked_at: at }).where('organisation_id', '=', organisationId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()).numUpdatedRows) === 1,
    touchLastUsed: (id: string, at: string) => db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute(),
  };
}
