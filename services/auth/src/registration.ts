import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidInputError, isUniqueViolation, nowIso, UnauthorizedError } from '@lift/kit';
import type { RequestOrigin } from './accounts.js';
import { registrationAttemptMail, registrationMail } from './account-mail.js';
import { queueAccountRequest, type AccountRequest } from './account-requests.js';
import { accountTokenInvalid } from './account-tokens.js';
import { normaliseEmail, type AuthDomain } from './auth-domain.js';
import { emailVerificationMode } from './config.js';
import { logRefusedSend, queueVerificationMail } from './email-verification.js';
import { authErrorCodes } from './errors.js';
import { hashPassword, passwordMatches, passwordProblem } from './passwords.js';
import { hashSecretToken, newSecretToken } from './secret-tokens.js';
import { startSession, type Session } from './sessions.js';
import type { AuthQueries } from './store/index.js';

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly displayName?: string;
  readonly organisationName?: string;
}

export type RegisteredSession = Session & { readonly organisationName: string };

export type RegistrationResult = { readonly outcome: 'signed-in'; readonly session: RegisteredSession } | { readonly outcome: 'check-your-inbox'; readonly email: string };

/** Passwords a registration link takes (the right one included) before it dies. */
const maxConfirmationTries = 5;

/**
 * POST /v1/register.
 *
 * Verification optional (development): creates the account with its own organisation and signs
 * in at once (201 with tokens), sending a verification link; a taken address is a 409 — which
 * tells anyone whether an address has an account, the trade-off development accepts.
 *
 * Verification required: creates nothing yet. The request hashes the password and writes one
 * account request, the same for a new and a taken address; the worker then sends the newcomer a
 * link and an owner a notice (OWASP's account-enumeration guidance, Supabase's confirm mode).
 * The account exists only once the link is opened with the same password
 * ({@link confirmRegistration}), so signing in before that fails as for any unknown address.
 */
export async function register(domain: AuthDomain, input: Registration, origin: RequestOrigin): Promise<RegistrationResult> {
  const email = normaliseEmail(input.email);
  const problem = passwordProblem(input.password, email, domain.config.PASSWORD_MIN_LENGTH);
  if (problem) throw new InvalidInputError(authErrorCodes.weakPassword, `The password ${problem}.`, { field: 'body.password' });
  if (emailVerificationMode(domain.config) === 'optional') return { outcome: 'signed-in', session: await registerAndSignIn(domain, email, input, origin) };

  const passwordHash = await hashPassword(input.password, domain.passwordHashing);
  const send = await domain.mailLimit.admit(email, origin.ip);
  if (send.admitted) {
    await queueAccountRequest(domain, { kind: 'registration', email, ip: origin.ip, registration: { passwordHash, displayName: input.displayName, organisationName: input.organisationName } });
  } else {
    logRefusedSend(domain.log, 'registration', origin.ip);
  }
  return { outcome: 'check-your-inbox', email };
}

async function registerAndSignIn(domain: AuthDomain, email: string, input: Registration, origin: RequestOrigin): Promise<RegisteredSession> {
  if (await domain.store.users.byEmail(email)) throw emailTaken();
  const passwordHash = await hashPassword(input.password, domain.passwordHashing);
  const send = await domain.mailLimit.admit(email, origin.ip);
  if (!send.admitted) logRefusedSend(domain.log, 'email-verification', origin.ip);
  const account = await createAccount(domain, { email, passwordHash, displayName: input.displayName, organisationName: input.organisationName, ip: origin.ip, verified: false }, {
    after: async (queries, userId) => {
      if (send.admitted) await queueVerificationMail(domain, queries, { id: userId, email });
    },
  });
  domain.mail.wake();
  await domain.throttle.rememberAddress(email, origin.ip);
  return { ...(await startSession(domain, account.userId, account.organisationId, 0)), organisationName: account.organisationName };
}

/**
 * The worker's half of a registration under `required`: a notice to an existing owner (it holds
 * no link), or a pending registration and the link that confirms it.
 */
export async function workRegistrationRequest(domain: AuthDomain, queries: AuthQueries, request: Extract<AccountRequest, { kind: 'registration' }>): Promise<void> {
  const now = nowIso(domain.clock);
  await queries.pendingRegistrations.removeExpired(now);
  if (await queries.users.byEmail(request.email)) {
    await domain.mail.queue(registrationAttemptMail(request.email), queries.mailOutbox);
    return;
  }
  const lifetime = domain.config.EMAIL_VERIFICATION_TOKEN_TTL_MINUTES;
  const token = newSecretToken('lift_rg_');
  const { passwordHash, displayName, organisationName } = request.registration;
  await queries.pendingRegistrations.insert({
    id: randomUUID(),
    email: request.email,
    password_hash: passwordHash,
    display_name: displayName ?? null,
    organisation_name: organisationName ?? null,
    token_hash: hashSecretToken(token),
    created_at: now,
    expires_at: new Date(domain.clock.now() + lifetime * 60_000).toISOString(),
  });
  await domain.mail.queue(registrationMail(domain.config, request.email, token, lifetime), queries.mailOutbox);
}

/**
 * POST /v1/register/confirm: the link's token and the password chosen when registering create
 * the account, verified, and sign in. The password is asked again so that someone who registered
 * another person's address cannot have that person's click create an account the registrant
 * holds the password of (account pre-hijacking). Any other registration of the address dies.
 */
export async function confirmRegistration(domain: AuthDomain, input: { token: string; password: string }, origin: RequestOrigin): Promise<RegisteredSession> {
  const pending = await domain.store.pendingRegistrations.byTokenHash(hashSecretToken(input.token), nowIso(domain.clock));
  if (!pending) throw accountTokenInvalid();
  const store = domain.store.pendingRegistrations;
  if (!(await store.spendTry(pending.id, maxConfirmationTries))) throw accountTokenInvalid();
  if (!(await passwordMatches(pending.password_hash, input.password))) {
    const spent = await store.triesSpent(pending.id);
    if (spent >= maxConfirmationTries) await store.remove(pending.id);
    const left = Math.max(0, maxConfirmationTries - spent);
    throw new UnauthorizedError(
      authErrorCodes.invalidCredentials,
      left > 0 ? `The password is not the one chosen when registering; ${left} ${left === 1 ? 'try remains' : 'tries remain'} for this link.` : 'The password is not the one chosen when registering; this link no longer works, register again.',
    );
  }
  const account = await createAccount(
    domain,
    { email: pending.email, passwordHash: pending.password_hash, displayName: pending.display_name ?? undefined, organisationName: pending.organisation_name ?? undefined, ip: origin.ip, verified: true },
    {
      // Parallel confirmations: one deletes the row, the others find it gone (before they could
      // collide on the address, which would answer them 409).
      before: async (queries) => {
        if (!(await queries.pendingRegistrations.claim(pending.id, nowIso(domain.clock)))) throw accountTokenInvalid();
        await queries.pendingRegistrations.removeForEmail(pending.email);
      },
    },
  );
  await domain.throttle.rememberAddress(pending.email, origin.ip);
  return { ...(await startSession(domain, account.userId, account.organisationId, 0)), organisationName: account.organisationName };
}

interface NewAccount {
  readonly email: string;
  readonly passwordHash: string;
  readonly displayName?: string | undefined;
  readonly organisationName?: string | undefined;
  readonly ip: string;
  /** The address is proven (a registration link was opened). */
  readonly verified: boolean;
}

interface AlongsideAccount {
  readonly before?: (queries: AuthQueries) => Promise<void>;
  readonly after?: (queries: AuthQueries, userId: string) => Promise<void>;
}

/**
 * A user and a personal organisation they own, with `alongside`'s work in the same transaction;
 * a taken address (an account created a moment ago) is the 409 it now is.
 */
async function createAccount(domain: AuthDomain, account: NewAccount, alongside: AlongsideAccount) {
  const at = nowIso(domain.clock);
  const userId = randomUUID();
  const organisationId = randomUUID();
  const organisationName = account.organisationName ?? `${account.displayName ?? account.email.split('@')[0]}'s organisation`;
  try {
    await domain.store.transaction(async (queries) => {
      await alongside.before?.(queries);
      await queries.users.insert({ id: userId, email: account.email, password_hash: account.passwordHash, display_name: account.displayName ?? null, origin: 'registration', email_verified_at: account.verified ? at : null, created_at: at, updated_at: at });
      await queries.organisations.insert({ id: organisationId, name: organisationName, kind: 'tenant', created_at: at });
      await queries.organisations.addMember({ organisation_id: organisationId, user_id: userId, role: 'owner', created_at: at });
      await queries.audit.record({ organisationId, actorId: userId, action: 'user.registered', targetType: 'user', targetId: userId, ip: account.ip });
      if (account.verified) await queries.audit.record({ organisationId: null, actorId: userId, action: 'email.verified', targetType: 'user', targetId: userId, ip: account.ip });
      await alongside.after?.(queries, userId);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return { userId, organisationId, organisationName };
}

function emailTaken(): ConflictError {
  return new ConflictError(authErrorCodes.emailTaken, 'An account with this email exists; log in instead, or reset its password.', { extensions: { field: 'body.email' } });
}
