import { ForbiddenError, UnauthorizedError } from '@lift/kit';
import type { AuthDomain } from './auth-domain.js';
import { mustVerifyFirst } from './email-verification.js';
import { authErrorCodes } from './errors.js';
import { isTenantRole, permissionsFor, type TenantRole } from './permissions.js';
import { firstPartyClientId, type IssuedAccessToken } from './token-issuer.js';

export interface Session extends IssuedAccessToken {
  readonly refreshToken: string;
  readonly organisationId: string;
  readonly userId: string;
}

/** The access token's lifetime: the shorter of the two settings (the seed's hours, our seconds). */
export function accessTokenLifetime(domain: AuthDomain): number {
  return Math.min(domain.config.ACCESS_TOKEN_TTL_SECONDS, Math.floor(domain.config.JWT_EXPIRATION_HOURS * 3600));
}

export interface MemberGrant {
  readonly role: TenantRole;
  readonly permissions: readonly string[];
  /** This membership's identity (a person removed and added back has a new one); null before migration 0010. */
  readonly membershipId: string | null;
}

/**
 * What a person may do in an organisation now: their role's permissions there (tenant or
 * platform) and the module grants for that role; undefined when they are not a member.
 */
export async function currentGrant(domain: AuthDomain, userId: string, organisationId: string): Promise<MemberGrant | undefined> {
  const [membership, organisation] = await Promise.all([domain.store.organisations.membership(organisationId, userId), domain.store.organisations.byId(organisationId)]);
  if (!membership || !organisation || !isTenantRole(membership.role)) return undefined;
  const permissions = [...new Set([...permissionsFor(organisation.kind, membership.role), ...(await domain.moduleGrants.forRole(membership.role))])];
  return { role: membership.role, permissions, membershipId: membership.membership_id };
}

/**
 * An access token for a member of an organisation, with the permissions of their role there now,
 * for a session started under credential generation `generation`: none once a password reset has
 * moved the account's generation on (AUTH_REFRESH_TOKEN_INVALID). A session that began under
 * another membership (`sessionMembershipId`) belongs to one a removal ended: a login racing the
 * removal can start a family the removal's revocation never saw, and adding the person back (a new
 * membership) must not bring it back. Identities, not times: replicas' clocks need not agree.
 */
export async function accessTokenFor(domain: AuthDomain, userId: string, organisationId: string, generation: number, sessionMembershipId?: string | null): Promise<IssuedAccessToken> {
  const [grant, user] = await Promise.all([currentGrant(domain, userId, organisationId), domain.store.users.byId(userId)]);
  const otherMembership = typeof sessionMembershipId === 'string' && grant?.membershipId !== null && grant?.membershipId !== sessionMembershipId;
  if (!grant || !user || otherMembership) {
    throw new UnauthorizedError(authErrorCodes.notAMember, 'You are no longer a member of this organisation; log in again.');
  }
  if (user.credential_generation !== generation) {
    throw new UnauthorizedError(authErrorCodes.invalidRefreshToken, 'The password was reset since this session started; log in again.');
  }
  const emailVerified = user.email_verified_at !== null;
  // While verification is required, an unverified person's token carries no role and no
  // permission: every service refuses it, and only /v1/me and verification itself accept it.
  // Refreshing after verifying gives the full token.
  const held = mustVerifyFirst(domain, user) ? { roles: [], permissions: [] } : { roles: [grant.role], permissions: [...grant.permissions] };
  return domain.issuer.issue({ subject: userId, organisation: organisationId, ...held, emailVerified, clientId: firstPartyClientId }, accessTokenLifetime(domain));
}

/**
 * Access and refresh token for a new session (login, registration, organisation switch), under
 * the credential generation read with the credential checked (login reads it with the password
 * hash, so a login that checked a password a reset has just replaced starts a dead session).
 */
export async function startSession(domain: AuthDomain, userId: string, organisationId: string, generation: number): Promise<Session> {
  const membership = await domain.store.organisations.membership(organisationId, userId);
  if (!membership) throw new UnauthorizedError(authErrorCodes.notAMember, 'You are no longer a member of this organisation; log in again.');
  const grant = await domain.refreshTokens.start(userId, organisationId, generation, membership.membership_id);
  const access = await accessTokenFor(domain, userId, organisationId, generation);
  return { ...access, refreshToken: grant.refreshToken, organisationId, userId };
}

/** The organisation a login lands in: the one asked for (if a member), else the oldest membership. */
export async function loginOrganisation(domain: AuthDomain, userId: string, requested: string | undefined): Promise<string> {
  const memberships = await domain.store.organisations.membershipsOf(userId);
  if (requested !== undefined) {
    if (!memberships.some((membership) => membership.organisationId === requested)) {
      throw new ForbiddenError(authErrorCodes.notAMember, 'You are not a member of that organisation.');
    }
    return requested;
  }
  const first = memberships[0];
  if (!first) throw new ForbiddenError(authErrorCodes.notAMember, 'Your account belongs to no organisation; ask an administrator to add you to one.');
  return first.organisationId;
}
