import { nowIso, UnauthorizedError } from '@lift/kit';
import { normaliseEmail, type AuthDomain } from './auth-domain.js';
import { authErrorCodes } from './errors.js';
import { hashPassword, needsRehash, passwordMatches } from './passwords.js';
import { accessTokenFor, loginOrganisation, startSession, type Session } from './sessions.js';

export interface RequestOrigin {
  readonly ip: string;
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
    await domain.store.users.upgradePasswordHash(user.id, user.password_hash, await hashPassword(input.password, domain.passwordHashing), nowIso(domain.clock));
  }
  const organisationId = await loginOrganisation(domain, user.id, input.organisationId);
  await domain.store.audit.record({ organisationId, actorId: user.id, action: 'login.succeeded', targetType: 'user', targetId: user.id, ip: origin.ip });
  // The generation read with the hash that was checked, not a fresh one: a reset committed since
  // then makes this session dead on arrival.
  return startSession(domain, user.id, organisationId, user.credential_generation);
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
  const access = await accessTokenFor(domain, grant.userId, grant.organisationId, grant.generation, grant.membershipId);
  return { ...access, refreshToken: grant.refreshToken, organisationId: grant.organisationId, userId: grant.userId };
}

/** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored. */
export async function logout(domain: AuthDomain, refreshToken: string, origin: RequestOrigin): Promise<void> {
  const family = await domain.refreshTokens.familyOf(refreshToken);
  if (!family) return;
  await domain.refreshTokens.revokeFamily(family.familyId);
  await domain.store.audit.record({ organisationId: family.organisationId, actorId: family.userId, action: 'logout', targetType: 'session', targetId: family.familyId, ip: origin.ip });
}

/**
 * A session in another organisation the user belongs to. An access token from before the last
 * password reset never gets here: auth's verifier refuses it (credential-change-check.ts).
 */
export async function switchOrganisation(domain: AuthDomain, userId: string, organisationId: string): Promise<Session> {
  await loginOrganisation(domain, userId, organisationId);
  const credentials = await domain.store.users.credentials(userId);
  if (!credentials) throw new UnauthorizedError(authErrorCodes.notAMember, 'Your account no longer exists.');
  return startSession(domain, userId, organisationId, credentials.credential_generation);
}
