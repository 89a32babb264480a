import { randomUUID } from 'node:crypto';
import { nowIso, UnauthorizedError, type Clock } from '@lift/kit';
import { hashSecretToken, newSecretToken } from './secret-tokens.js';
import { authErrorCodes } from './errors.js';
import type { AuthQueries, AuthStore } from './store/index.js';
import type { ApiKeyRow } from './store/api-keys-store.js';

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
export function apiKeys(store: AuthStore, clock: Clock) {
  const summary = (row: ApiKeyRow): ApiKeySummary => ({
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
    /** Run it in the transaction that audits it (`queries`), or on its own. */
    async create(input: NewApiKey, queries: AuthQueries = store): Promise<{ key: string; summary: ApiKeySummary }> {
      const key = newSecretToken(keyPrefix);
      const row = {
        id: randomUUID(),
        organisation_id: input.organisationId,
        name: input.name,
        prefix: key.slice(0, keyPrefix.length + 6),
        key_hash: hashSecretToken(key),
        permissions: JSON.stringify([...input.permissions].sort()),
        created_by: input.createdBy,
        created_at: nowIso(clock),
        expires_at: input.expiresAt,
        last_used_at: null,
        revoked_at: null,
      };
      await queries.apiKeys.insert(row);
      return { key, summary: summary(row) };
    },

    async list(organisationId: string): Promise<ApiKeySummary[]> {
      return (await store.apiKeys.of(organisationId)).map(summary);
    },

    /** Ids of the keys a member created in an organisation that are not revoked. */
    async liveIdsCreatedBy(organisationId: string, userId: string): Promise<string[]> {
      return store.apiKeys.liveIdsCreatedBy(organisationId, userId);
    },

    /** Revokes the keys a member created in an organisation; the ids of those it revoked. */
    async revokeCreatedBy(organisationId: string, userId: string, queries: AuthQueries = store): Promise<string[]> {
      return queries.apiKeys.revokeCreatedBy(organisationId, userId, nowIso(clock));
    },

    /** Whether a key is neither revoked nor expired now (its tokens are refused otherwise). */
    async isLive(id: string): Promise<boolean> {
      const row = await store.apiKeys.validity(id);
      return row !== undefined && row.revoked_at === null && (row.expires_at === null || Date.parse(row.expires_at) > clock.now());
    },

    async find(organisationId: string, id: string): Promise<ApiKeySummary | undefined> {
      const row = await store.apiKeys.byId(organisationId, id);
      return row ? summary(row) : undefined;
    },

    async revoke(organisationId: string, id: string, queries: AuthQueries = store): Promise<boolean> {
      return queries.apiKeys.revoke(organisationId, id, nowIso(clock));
    },

    /** The key's summary when it is valid now; 401 otherwise, without saying which check failed. */
    async authenticate(key: string): Promise<ApiKeySummary> {
      const invalid = apiKeyInvalid();
      if (!key.startsWith(keyPrefix)) throw invalid;
      const row = await store.apiKeys.byHash(hashSecretToken(key));
      const now = clock.now();
      if (!row || row.revoked_at !== null || (row.expires_at !== null && Date.parse(row.expires_at) <= now)) throw invalid;
      if (row.last_used_at === null || now - Date.parse(row.last_used_at) >= lastUsedResolutionMs) {
        row.last_used_at = new Date(now).toISOString();
        await store.apiKeys.touchLastUsed(row.id, row.last_used_at);
      }
      return summary(row);
    },
  };
}

export type ApiKeys = ReturnType<typeof apiKeys>;
