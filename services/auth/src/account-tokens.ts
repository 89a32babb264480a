import { randomUUID } from 'node:crypto';
import { InvalidInputError, nowIso, type Clock } from '@lift/kit';
import { hashSecretToken, newSecretToken } from './secret-tokens.js';
import { authErrorCodes } from './errors.js';
import type { AccountTokenPurpose } from './store/account-tokens-store.js';
import type { AuthQueries } from './store/index.js';

const prefixes: Record<AccountTokenPurpose, string> = { 'email-verification': 'lift_ev_', 'password-reset': 'lift_pr_' };

/**
 * Issues a one-time token (256 random bits, stored only as its hash) and spends the user's
 * earlier unused ones of the same purpose, so only the newest link works. Run it in the
 * transaction that queues the message carrying it.
 */
export async function issueAccountToken(queries: AuthQueries, clock: Clock, userId: string, purpose: AccountTokenPurpose, lifetimeMinutes: number): Promise<string> {
  const token = newSecretToken(prefixes[purpose]);
  const now = nowIso(clock);
  await queries.accountTokens.spendUnused(userId, purpose, now);
  await queries.accountTokens.insert({
    id: randomUUID(),
    user_id: userId,
    purpose,
    token_hash: hashSecretToken(token),
    created_at: now,
    expires_at: new Date(clock.now() + lifetimeMinutes * 60_000).toISOString(),
    used_at: null,
  });
  return token;
}

/**
 * Redeems a token for its purpose and answers its user; anything else — unknown, expired, used,
 * replaced, another purpose — is one identical 400, so the answer reveals nothing about it.
 */
export async function redeemAccountToken(queries: AuthQueries, clock: Clock, token: string, purpose: AccountTokenPurpose): Promise<string> {
  const userId = await queries.accountTokens.redeem(hashSecretToken(token), purpose, nowIso(clock));
  if (userId === undefined) throw accountTokenInvalid();
  return userId;
}

export function accountTokenInvalid(): InvalidInputError {
  return new InvalidInputError(authErrorCodes.accountTokenInvalid, 'This link is invalid, expired or already used; ask for a new one.', { field: 'body.token' });
}
