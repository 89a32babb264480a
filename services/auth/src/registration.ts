import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidInputError, isUniqueViolation, nowIso } from '@lift/kit';
import type { RequestOrigin } from './accounts.js';
import { registrationAttemptMail } from './account-mail.js';
import { normaliseEmail, type AuthDomain } from './auth-domain.js';
import { emailVerificationMode } from './config.js';
import { logRefusedSend, queueVerificationMail } from './email-verification.js';
import { authErrorCodes } from './errors.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { startSession, type Session } from './sessions.js';

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly displayName?: string;
  readonly organisationName?: string;
}

export type RegistrationResult =
  | { readonly outcome: 'signed-in'; readonly session: Session & { organisationName: string } }
  | { readonly outcome: 'check-your-inbox'; readonly email: string };

/**
 * Creates a user with a personal organisation they own.
 *
 * Verification optional (development): signs them in at once (201 with tokens) and sends a
 * verification link; a taken address is a 409 — which tells anyone whether an address has an
 * account, the trade-off development accepts.
 *
 * Verification required: answers the same for a new and a taken address, after the same work
 * (the password is hashed and one message queued in both), as OWASP's account-enumeration
 * guidance asks: the new owner gets a verification link, an existing one a notice.
 */
export async function register(domain: AuthDomain, input: Registration, origin: RequestOrigin): Promise<RegistrationResult> {
  const email = normaliseEmail(input.email);
  const problem = passwordProblem(input.password, email, domain.config.PASSWORD_MIN_LENGTH);
  if (problem) throw new InvalidInputError(authErrorCodes.weakPassword, `The password ${problem}.`, { field: 'body.password' });
  const required = emailVerificationMode(domain.config) === 'required';
  const existing = await domain.store.users.byEmail(email);
  if (existing && !required) throw emailTaken();

  const passwordHash = await hashPassword(input.password, domain.passwordHashing);
  const send = await domain.mailLimit.admit(email, origin.ip);
  if (!send.admitted) logRefusedSend(domain.log, existing ? 'registration-attempt' : 'email-verification', origin.ip);
  if (existing) {
    await noticeToOwner(domain, email, send.admitted);
    return { outcome: 'check-your-inbox', email };
  }

  const at = nowIso(domain.clock);
  const user = { id: randomUUID(), email };
  const organisationId = randomUUID();
  const organisationName = input.organisationName ?? `${input.displayName ?? email.split('@')[0]}'s organisation`;
  try {
    await domain.store.transaction(async (queries) => {
      await queries.users.insert({ id: user.id, email, password_hash: passwordHash, display_name: input.displayName ?? null, origin: 'registration', email_verified_at: null, created_at: at, updated_at: at });
      await queries.organisations.insert({ id: organisationId, name: organisationName, kind: 'tenant', created_at: at });
      await queries.organisations.addMember({ organisation_id: organisationId, user_id: user.id, role: 'owner', created_at: at });
      await queries.audit.record({ organisationId, actorId: user.id, action: 'user.registered', targetType: 'user', targetId: user.id, ip: origin.ip });
      if (send.admitted) await queueVerificationMail(domain, queries, user);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Someone registered the address a moment ago: answered as the taken address it now is.
    if (!required) throw emailTaken();
    await noticeToOwner(domain, email, send.admitted);
    return { outcome: 'check-your-inbox', email };
  }
  domain.mail.wake();
  if (required) return { outcome: 'check-your-inbox', email };
  await domain.throttle.rememberAddress(email, origin.ip);
  return { outcome: 'signed-in', session: { ...(await startSession(domain, user.id, organisationId, 0)), organisationName } };
}

async function noticeToOwner(domain: AuthDomain, email: string, admitted: boolean): Promise<void> {
  if (!admitted) return;
  await domain.mail.queue(registrationAttemptMail(email));
  domain.mail.wake();
}

function emailTaken(): ConflictError {
  return new ConflictError(authErrorCodes.emailTaken, 'An account with this email exists; log in instead, or reset its password.', { extensions: { field: 'body.email' } });
}
