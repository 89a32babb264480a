import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { nowIso, UnauthorizedError, type Clock } from '@lift/kit';
import { authErrorCodes } from './errors.js';
import type { AuthTables } from './tables.js';

export interface ApiKeySummary {
  readonly id: string;
  readonly organisationId: string;
  readonly name: string;
  /** The first characters of the key, to recognise it; the rest is never shown again. */
  readonly prefix: string;
  readonly permissions: string[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface NewApiKey {
  readonly organisationId: string;
  readonly name: string;
  readonly permissions: readonly string[];
  readonly createdBy: string;
  readonly expiresAt: string | null;
}

const keyPrefix = 'lift_sk_';

/** The one answer to a key that cannot be used, whatever the reason, so none is revealed. */
export function apiKeyInvalid(): UnauthorizedError {
  return new UnauthorizedError(authErrorCodes.apiKeyInvalid, 'The API key is invalid, expired or revoked.');
}
// last_used_at is written at most this often per key, so a busy key does not write on every exchange.
const lastUsedResolutionMs = 60_000;

/**
 * API keys for machines and modules: 256 random bits shown once, stored as a SHA-256 hash (a
 * key has too much entropy for a slow hash to add anything), exchanged for short-lived access
 * tokens so everything downstream sees only JWTs. Revocation takes effect at the next exchange.
 */
export function apiKeys(db: Kysely<AuthTables>, clock: Clock) {
  const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
  const summary = (row: AuthTables['api_keys']): ApiKeySummary => ({
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    prefix: row.prefix,
    permissions: JSON.parse(row.permissions) as string[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  });

  return {
    async create(input: NewApiKey, transaction: Kysely<AuthTables> = db): Promise<{ key: string; summary: ApiKeySummary }> {
      const key = `${keyPrefix}${randomBytes(32).toString('base64url')}`;
      const row = {
        id: randomUUID(),
        organisation_id: input.organisationId,
        name: input.name,
        prefix: key.slice(0, keyPrefix.length + 6),
        key_hash: hashKey(key),
        permissions: JSON.stringify([...input.permissions].sort()),
        created_by: input.createdBy,
        created_at: nowIso(clock),
        expires_at: input.expiresAt,
        last_used_at: null,
        revoked_at: null,
      };
      await transaction.insertInto('api_keys').values(row).execute();
      return { key, summary: summary(row) };
    },

    async list(organisationId: string): Promise<ApiKeySummary[]> {
      const rows = await db.selectFrom('api_keys').selectAll().where('organisation_id', '=', organisationId).orderBy('created_at', 'desc').orderBy('id').execute();
      return rows.map(summary);
    },

    /** Ids of the keys a member created in an organisation that are not revoked. */
    async liveIdsCreatedBy(organisationId: string, userId: string): Promise<string[]> {
      const rows = await db.selectFrom('api_keys').select('id').where('organisation_id', '=', organisationId).where('created_by', '=', userId).where('revoked_at', 'is', null).execute();
      return rows.map((row) => row.id);
    },

    /** Revokes the keys a member created in an organisation; the ids of those it revoked. */
    async revokeCreatedBy(organisationId: string, userId: string, transaction: Kysely<AuthTables> = db): Promise<string[]> {
      const rows = await transaction.selectFrom('api_keys').select('id').where('organisation_id', '=', organisationId).where('created_by', '=', userId).where('revoked_at', 'is', null).execute();
      if (rows.length === 0) return [];
      const ids = rows.map((row) => row.id);
      await transaction.updateTable('api_keys').set({ revoked_at: nowIso(clock) }).where('id', 'in', ids).where('revoked_at', 'is', null).execute();
      return ids;
    },

    /** Whether a key is neither revoked nor expired now (its tokens are refused otherwise). */
    async isLive(id: string): Promise<boolean> {
      const row = await db.selectFrom('api_keys').select(['revoked_at', 'expires_at']).where('id', '=', id).executeTakeFirst();
      return row !== undefined && row.revoked_at === null && (row.expires_at === null || Date.parse(row.expires_at) > clock.now());
    },

    async find(organisationId: string, id: string): Promise<ApiKeySummary | undefined> {
      const row = await db.selectFrom('api_keys').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
      return row ? summary(row) : undefined;
    },

    async revoke(organisationId: string, id: string, transaction: Kysely<AuthTables> = db): Promise<boolean> {
      const result = await transaction
        .updateTable('api_keys')
        .set({ revoked_at: nowIso(clock) })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** The key's summary when it is valid now; 401 otherwise, without saying which check failed. */
    async authenticate(key: string): Promise<ApiKeySummary> {
      const invalid = apiKeyInvalid();
      if (!key.startsWith(keyPrefix)) throw invalid;
      const row = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashKey(key)).executeTakeFirst();
      const now = clock.now();
      if (!row || row.revoked_at !== null || (row.expires_at !== null && Date.parse(row.expires_at) <= now)) throw invalid;
      if (row.last_used_at === null || now - Date.parse(row.last_used_at) >= lastUsedResolutionMs) {
        row.last_used_at = new Date(now).toISOString();
        await db.updateTable('api_keys').set({ last_used_at: row.last_used_at }).where('id', '=', row.id).execute();
      }
      return summary(row);
    },
  };
}

export type ApiKeys = ReturnType<typeof apiKeys>;
