import { ConflictError, ForbiddenError, nowIso, type Logger } from '@lift/kit';
import { issueAccountToken, redeemAccountToken } from './account-tokens.js';
import { verificationMail } from './account-mail.js';
import type { AuthDomain } from './auth-domain.js';
import { emailVerificationMode } from './config.js';
import { authErrorCodes } from './errors.js';
import { mailLimited } from './mail-send-limit.js';
import type { AuthQueries } from './store/index.js';

/** Queues a verification link for the user in `queries`' transaction; the caller wakes the sender after it commits. */
export async function queueVerificationMail(domain: AuthDomain, queries: AuthQueries, user: { id: string; email: string }): Promise<void> {
  const lifetime = domain.config.EMAIL_VERIFICATION_TOKEN_TTL_MINUTES;
  const token = await issueAccountToken(queries, domain.clock, user.id, 'email-verification', lifetime);
  await domain.mail.queue(verificationMail(domain.config, user.email, token, lifetime), queries.mailOutbox);
}

/** POST /v1/email-verification: a new link for the signed-in person; over the send limit a 429. */
export async function resendVerification(domain: AuthDomain, userId: string, ip: string): Promise<void> {
  const user = await domain.store.users.byId(userId);
  if (!user) throw new ForbiddenError(authErrorCodes.forbidden, 'This token does not belong to a person.');
  if (user.email_verified_at !== null) throw new ConflictError(authErrorCodes.emailAlreadyVerified, 'Your address is already verified; there is nothing to confirm.');
  const decision = await domain.mailLimit.admit(user.email, ip);
  if (!decision.admitted) throw mailLimited(decision.retryAfterSeconds);
  await domain.store.transaction(async (queries) => {
    await queueVerificationMail(domain, queries, user);
    await queries.audit.record({ organisationId: null, actorId: user.id, action: 'email_verification.sent', targetType: 'user', targetId: user.id, ip });
  });
  domain.mail.wake();
}

/** POST /v1/email-verification/confirm: the link's token marks the address verified. */
export async function confirmEmailVerification(domain: AuthDomain, token: string, ip: string): Promise<void> {
  await domain.store.transaction(async (queries) => {
    const userId = await redeemAccountToken(queries, domain.clock, token, 'email-verification');
    await queries.users.markEmailVerified(userId, nowIso(domain.clock));
    await queries.audit.record({ organisationId: null, actorId: userId, action: 'email.verified', targetType: 'user', targetId: userId, ip });
  });
}

/** Whether an unverified person is held to verifying first (AUTH_EMAIL_VERIFICATION=required). */
export function mustVerifyFirst(domain: AuthDomain, user: { email_verified_at: string | null }): boolean {
  return user.email_verified_at === null && emailVerificationMode(domain.config) === 'required';
}

/** Refuses what an unverified account may not do while verification is required (`doing`: "create API keys"). */
export async function assertVerifiedFor(domain: AuthDomain, userId: string, doing: string): Promise<void> {
  const user = await domain.store.users.byId(userId);
  if (user && mustVerifyFirst(domain, user)) {
    throw new ForbiddenError(authErrorCodes.emailNotVerified, `An account must verify its e-mail address before it can ${doing}; the link is in the verification message (POST /v1/email-verification sends a new one).`);
  }
}

/** A send the limit refused on a route that answers the same either way: logged, never told. */
export function logRefusedSend(log: Logger, kind: string, ip: string): void {
  log.warn({ kind, ip, code: authErrorCodes.mailLimited }, 'account mail not sent: the send limit for its recipient or client is reached');
}
