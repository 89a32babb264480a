import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidInputError, isUniqueViolation, nowIso, UnauthorizedError } from '@lift/kit';
import { normaliseEmail, type AuthDomain } from './auth-domain.js';
import { authErrorCodes } from './errors.js';
import { hashPassword, needsRehash, passwordMatches, passwordProblem } from './passwords.js';
import { accessTokenFor, loginOrganisation, startSession, type Session } from './sessions.js';

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly displayName?: string;
  readonly organisationName?: string;
}

export interface RequestOrigin {
  readonly ip: string;
}

/** Creates a user with a personal organisation they own, and logs them in. */
export async function register(domain: AuthDomain, input: Registration, origin: RequestOrigin): Promise<Session & { organisationName: string }> {
  const email = normaliseEmail(input.email);
  const problem = passwordProblem(input.password, email, domain.config.PASSWORD_MIN_LENGTH);
  if (problem) throw new InvalidInputError(authErrorCodes.weakPassword, `The password ${problem}.`, { field: 'body.password' });
  if (await domain.store.users.byEmail(email)) throw emailTaken();

  const passwordHash = await hashPassword(input.password, domain.passwordHashing);
  const at = nowIso(domain.clock);
  const userId = randomUUID();
  const organisationId = randomUUID();
  const organisationName = input.organisationName ?? `${input.displayName ?? email.split('@')[0]}'s organisation`;
  try {
    await domain.store.transaction(async (queries) => {
      await queries.users.insert({ id: userId, email, password_hash: passwordHash, display_name: input.displayName ?? null, origin: 'registration', email_verified_at: null, created_at: at, updated_at: at });
      await queries.organisations.insert({ id: organisationId, name: organisationName, kind: 'tenant', created_at: at });
      await queries.organisations.addMember({ organisation_id: organisationId, user_id: userId, role: 'owner', created_at: at });
      await queries.audit.record({ organisationId, actorId: userId, action: 'user.registered', targetType: 'user', targetId: userId, ip: origin.ip });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  await domain.throttle.rememberAddress(email, origin.ip);
  return { ...(await startSession(domain, userId, organisationId)), organisationName };
}

function emailTaken(): ConflictError {
  return new ConflictError(authErrorCodes.emailTaken, 'An account with this email exists; log in instead, or reset its password.', { extensions: { field: 'body.email' } });
}

/**
 * Checks the password and starts a session. Unknown account and wrong password give the same
 * answer after the same work (a decoy hash is verified), so neither reveals whether it exists.
 */
export async function login(domain: AuthDomain, input: { email: string; password: string; organisationId?: string }, origin: RequestOrigin): Promise<Session> {
  const email = normaliseEmail(input.email);
  const attempt = await domain.throttle.begin(email, origin.ip);
  const user = await domain.store.users.byEmail(email);
  const matches = await passwordMatches(user?.password_hash ?? (await domain.decoyPasswordHash), input.password);
  if (!user || !matches) {
    await attempt.failed();
    if (user) await domain.store.audit.record({ organisationId: null, actorId: user.id, action: 'login.failed', targetType: 'user', targetId: user.id, ip: origin.ip });
    throw new UnauthorizedError(authErrorCodes.invalidCredentials, 'The email or password is wrong.');
  }
  await attempt.succeeded();
  if (needsRehash(user.password_hash, domain.passwordHashing)) {
    await domain.store.users.updatePasswordHash(user.id, await hashPassword(input.password, domain.passwordHashing), nowIso(domain.clock));
  }
  const organisationId = await loginOrganisation(domain, user.id, input.organisationId);
  await domain.store.audit.record({ organisationId, actorId: user.id, action: 'login.succeeded', targetType: 'user', targetId: user.id, ip: origin.ip });
  return startSession(domain, user.id, organisationId);
}

/** A new access token and the rotated refresh token. */
export async function refresh(domain: AuthDomain, refreshToken: string, origin: RequestOrigin): Promise<Session> {
  let grant;
  try {
    grant = await domain.refreshTokens.rotate(refreshToken);
  } catch (error) {
    if (error instanceof UnauthorizedError && error.code === authErrorCodes.refreshTokenReused) {
      const { userId, organisationId, familyId } = error.extensions as { userId: string; organisationId: string; familyId: string };
      await domain.store.audit.record({ organisationId, actorId: userId, action: 'refresh_token.reused', targetType: 'session', targetId: familyId, ip: origin.ip });
      throw new UnauthorizedError(error.code, error.message);
    }
    throw error;
  }
  const access = await accessTokenFor(domain, grant.userId, grant.organisationId);
  return { ...access, refreshToken: grant.refreshToken, organisationId: grant.organisationId, userId: grant.userId };
}

/** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored. */
export async function logout(domain: AuthDomain, refreshToken: string, origin: RequestOrigin): Promise<void> {
  const family = await domain.refreshTokens.familyOf(refreshToken);
  if (!family) return;
  await domain.refreshTokens.revokeFamily(family.familyId);
  await domain.store.audit.record({ organisationId: family.organisationId, actorId: family.userId, action: 'logout', targetType: 'session', targetId: family.familyId, ip: origin.ip });
}

/** A session in another organisation the user belongs to. */
export async function switchOrganisation(domain: AuthDomain, userId: string, organisationId: string): Promise<Session> {
  await loginOrganisation(domain, userId, organisationId);
  return startSession(domain, userId, organisationId);
}

