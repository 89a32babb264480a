import { InvalidInputError, nowIso } from '@lift/kit';
import type { RequestOrigin } from './accounts.js';
import { passwordResetMail } from './account-mail.js';
import { queueAccountRequest, type AccountRequest } from './account-requests.js';
import { issueAccountToken, redeemAccountToken } from './account-tokens.js';
import { normaliseEmail, type AuthDomain } from './auth-domain.js';
import { logRefusedSend } from './email-verification.js';
import { authErrorCodes } from './errors.js';
import { hashPassword, passwordProblem } from './passwords.js';
import type { AuthQueries } from './store/index.js';

/**
 * POST /v1/password-reset: writes the request for the worker, the same for every address; the
 * route answers 202 whatever happens — no account, or the send limit reached — so neither the
 * answer nor its timing tells whether an address has an account.
 */
export async function requestPasswordReset(domain: AuthDomain, emailInput: string, origin: RequestOrigin): Promise<void> {
  const email = normaliseEmail(emailInput);
  // Counted for unknown addresses too: the limits must not differ between the two.
  const send = await domain.mailLimit.admit(email, origin.ip);
  if (!send.admitted) return logRefusedSend(domain.log, 'password-reset', origin.ip);
  await queueAccountRequest(domain, { kind: 'password-reset', email, ip: origin.ip });
}

/** The worker's half: a reset link if the address has an account, nothing otherwise. */
export async function workPasswordResetRequest(domain: AuthDomain, queries: AuthQueries, request: AccountRequest): Promise<void> {
  const user = await queries.users.byEmail(request.email);
  if (!user) return;
  const lifetime = domain.config.PASSWORD_RESET_TOKEN_TTL_MINUTES;
  const token = await issueAccountToken(queries, domain.clock, user.id, 'password-reset', lifetime);
  await domain.mail.queue(passwordResetMail(domain.config, user.email, token, lifetime), queries.mailOutbox);
  await queries.audit.record({ organisationId: null, actorId: null, action: 'password_reset.requested', targetType: 'user', targetId: user.id, ip: request.ip });
}

/**
 * POST /v1/password-reset/confirm: sets the new password (the policy applies), ends every session
 * of the account, revokes every API key it created (a reset is what someone does who lost control
 * of their credentials, and a key acts as its creator), clears its login lockout, and marks the
 * address verified — the link proved the mailbox. A password the policy refuses leaves the token
 * usable: the transaction rolls back.
 */
export async function confirmPasswordReset(domain: AuthDomain, token: string, password: string, origin: RequestOrigin): Promise<void> {
  // Hashed before the transaction, which then holds its connection only for a few queries; the
  // hash is wasted on an invalid token (the gateway's sign-in limit bounds how often).
  const passwordHash = await hashPassword(password, domain.passwordHashing);
  const { email, revokedKeys } = await domain.store.transaction(async (queries) => {
    const userId = await redeemAccountToken(queries, domain.clock, token, 'password-reset');
    const user = await queries.users.byId(userId);
    if (!user) throw new Error(`account token of a missing user ${userId}`);
    const problem = passwordProblem(password, user.email, domain.config.PASSWORD_MIN_LENGTH);
    if (problem) throw new InvalidInputError(authErrorCodes.weakPassword, `The password ${problem}.`, { field: 'body.password' });
    const at = nowIso(domain.clock);
    await queries.users.updatePasswordHash(userId, passwordHash, at);
    await queries.users.markEmailVerified(userId, at);
    // The generation ends the sessions the revocation cannot see: those refreshing or logging in
    // while this runs (their new rows commit after this statement's snapshot).
    await queries.users.nextCredentialGeneration(userId, at);
    await queries.refreshTokens.revokeUser(userId, at);
    const keys = await queries.apiKeys.revokeAllCreatedBy(userId, at);
    for (const key of keys) {
      await queries.audit.record({ organisationId: key.organisationId, actorId: userId, action: 'api_key.revoked', targetType: 'api_key', targetId: key.id, ip: origin.ip, details: { reason: 'password-reset' } });
    }
    await queries.audit.record({ organisationId: null, actorId: userId, action: 'password_reset.completed', targetType: 'user', targetId: userId, ip: origin.ip, details: { apiKeysRevoked: keys.length } });
    return { email: user.email, revokedKeys: keys };
  });
  // The gateway stops accepting them within a second, as for any revocation.
  for (const organisationId of new Set(revokedKeys.map((key) => key.organisationId))) {
    domain.revocations.apiKeysRevoked(organisationId, revokedKeys.filter((key) => key.organisationId === organisationId).map((key) => key.id), 'password-reset');
  }
  await domain.throttle.forgetAccount(email);
}
