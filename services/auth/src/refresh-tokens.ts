import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { nowIso, UnauthorizedError, type Clock } from '@lift/kit';
import { authErrorCodes } from './errors.js';
import type { AuthQueries, AuthStore } from './store/index.js';

export interface RefreshTokenOptions {
  readonly store: AuthStore;
  readonly clock: Clock;
  readonly lifetimeDays: number;
  readonly reuseGraceSeconds: number;
  /** Server secret from which a token's successor is derived (see `successorOf`). */
  readonly successorKey: Promise<Buffer>;
}

export interface RefreshGrant {
  readonly userId: string;
  readonly organisationId: string;
  readonly familyId: string;
  readonly refreshToken: string;
  /** The user's credential generation the family started under (see `start`). */
  readonly generation: number;
  /** The membership the family started under (null for families from before it was recorded). */
  readonly membershipId: string | null;
}

const prefix = 'lift_rt_';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Opaque refresh tokens, stored only as SHA-256 hashes, rotated on every use (OAuth 2.0 Security
 * BCP §4.14). Each login starts a family; presenting a token that was already rotated is theft
 * or a bug, so the whole family is revoked — except within a short grace window, where a client
 * that raced itself (two tabs refreshing at once) gets the same successor again.
 *
 * A successor is HMAC(server key, its predecessor): the service can hand it out again without
 * storing any token in the clear, and only the holder of the predecessor can obtain it.
 */
export function refreshTokens(options: RefreshTokenOptions) {
  const { store, clock } = options;
  const successorOf = async (token: string): Promise<string> =>
    `${prefix}${createHmac('sha256', await options.successorKey).update(token).digest('base64url')}`;
  const expiry = () => new Date(clock.now() + options.lifetimeDays * 86_400_000).toISOString();

  /** One token of a family: what every token of the family carries, and the token's own hash. */
  const insert = async (token: string, family: Omit<RefreshGrant, 'refreshToken'>, queries: AuthQueries = store) => {
    await queries.refreshTokens.insert({
      id: randomUUID(),
      family_id: family.familyId,
      user_id: family.userId,
      organisation_id: family.organisationId,
      token_hash: hashRefreshToken(token),
      created_at: nowIso(clock),
      expires_at: expiry(),
      used_at: null,
      revoked_at: null,
      generation: family.generation,
      membership_id: family.membershipId,
    });
  };

  const invalid = () => new UnauthorizedError(authErrorCodes.invalidRefreshToken, 'The refresh token is invalid, expired or revoked; log in again.');

  return {
    /**
     * A new family, at login or when switching organisation, under the user's credential
     * generation as read with the credential that was checked: a family whose generation a
     * password reset has since moved on never rotates (nor gives an access token); and under the
     * membership read before it, which a removal ends for good (see accessTokenFor).
     */
    async start(userId: string, organisationId: string, generation: number, membershipId: string | null): Promise<RefreshGrant> {
      const refreshToken = `${prefix}${randomBytes(32).toString('base64url')}`;
      const family = { userId, organisationId, familyId: randomUUID(), generation, membershipId };
      await insert(refreshToken, family);
      return { ...family, refreshToken };
    },

    /** Exchanges a refresh token for its successor, detecting reuse. */
    async rotate(token: string): Promise<RefreshGrant & { reusedWithinGrace: boolean }> {
      const now = clock.now();
      const at = new Date(now).toISOString();
      const row = await store.refreshTokens.byHash(hashRefreshToken(token));
      if (!row || row.revoked_at !== null || row.expires_at <= at) throw invalid();
      // A logout (or a member's removal) that raced the rotation which stored this token revoked
      // the rest of its family: the session is over although this row escaped the revocation.
      if (await store.refreshTokens.familyRevoked(row.family_id)) throw invalid();
      // A password reset since the family started ends it, even when the reset's revocation
      // missed it (a successor written while the reset ran): successors keep the generation.
      if ((await store.users.credentials(row.user_id))?.credential_generation !== row.generation) throw invalid();
      const successor = await successorOf(token);
      const grant = { userId: row.user_id, organisationId: row.organisation_id, familyId: row.family_id, refreshToken: successor, generation: row.generation, membershipId: row.membership_id };

      if (row.used_at === null) {
        // Marking the token used and storing its successor commit together: a concurrent request
        // for the same token waits on the row, then finds it used and its successor present.
        const won = await store.transaction(async (queries) => {
          if (!(await queries.refreshTokens.markUsed(row.id, at))) return false;
          await insert(successor, grant, queries);
          return true;
        });
        if (won) return { ...grant, reusedWithinGrace: false };
      }
      // Revoked between the reads above and the mark (a racing logout): over, not reused.
      if ((await store.refreshTokens.byHash(row.token_hash))?.revoked_at !== null) throw invalid();
      const usedAt = Date.parse((await store.refreshTokens.usedAt(row.id)) ?? at);
      const successorRow = await store.refreshTokens.byHash(hashRefreshToken(successor));
      const withinGrace = now - usedAt <= options.reuseGraceSeconds * 1000;
      if (withinGrace && successorRow && successorRow.revoked_at === null && successorRow.used_at === null) {
        return { ...grant, reusedWithinGrace: true };
      }
      await this.revokeFamily(row.family_id);
      throw new UnauthorizedError(
        authErrorCodes.refreshTokenReused,
        'This refresh token was already used, so every token of this session is revoked; log in again.',
        { extensions: { familyId: row.family_id, userId: row.user_id, organisationId: row.organisation_id } },
      );
    },

    /** The family a token belongs to, for logout; undefined when the token is unknown. */
    async familyOf(token: string): Promise<{ familyId: string; userId: string; organisationId: string } | undefined> {
      const row = await store.refreshTokens.byHash(hashRefreshToken(token));
      return row ? { familyId: row.family_id, userId: row.user_id, organisationId: row.organisation_id } : undefined;
    },

    async revokeFamily(familyId: string): Promise<void> {
      await store.refreshTokens.revokeFamily(familyId, nowIso(clock));
    },
  };
}

export type RefreshTokens = ReturnType<typeof refreshTokens>;
