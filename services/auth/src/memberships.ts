import { randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError, nowIso, type Identity } from '@lift/kit';
import { normaliseEmail, type AuthDomain } from './auth-domain.js';
import { emailVerificationMode } from './config.js';
import { assertVerifiedFor } from './email-verification.js';
import { authErrorCodes } from './errors.js';
import { tenantRolePermissions, tenantRoles, type TenantRole } from './permissions.js';
import type { AuthQueries } from './store/index.js';
import type { MemberWithUser } from './store/organisations-store.js';

/**
 * Tokens act for one organisation: a caller may only see or change the organisation its token
 * was issued for. Any other id answers 404, so organisation ids cannot be probed.
 */
export function assertActsFor(identity: Identity, organisationId: string): void {
  if (identity.organisation !== organisationId) {
    throw new NotFoundError(authErrorCodes.organisationNotFound, 'No such organisation among those your token acts for.');
  }
}

/** Owner of anything, or any role in the platform organisation, needs a verified address when verification is required. */
export async function assertMayHold(domain: AuthDomain, userId: string, organisationId: string, role: TenantRole): Promise<void> {
  if (role === 'owner') return assertVerifiedFor(domain, userId, 'become an owner');
  if ((await domain.store.organisations.byId(organisationId))?.kind === 'platform') await assertVerifiedFor(domain, userId, 'become a platform admin');
}

export function assertMayGrant(identity: Identity, role: TenantRole): void {
  if (role === 'owner' && !identity.permissions.includes('org:owner')) {
    throw new ForbiddenError(authErrorCodes.ownerRequired, 'Only an owner can make or unmake owners.');
  }
}

/** A new tenant organisation owned by the caller: an owner role, so a verified address when verification is required. */
/** The roles a member with `role` may invite (admins invite all but owners; owners anyone); none for a removed member. */
function rolesInvitableBy(role: TenantRole | undefined): TenantRole[] {
  const permissions = role === undefined ? [] : tenantRolePermissions[role];
  if (!permissions.includes('org:admin')) return [];
  return tenantRoles.filter((invited) => invited !== 'owner' || permissions.includes('org:owner'));
}

/**
 * An invitation acts with its inviter's authority: when the inviter leaves or is demoted, the
 * invitations they made that their role no longer allows are revoked, each audited.
 */
async function revokeInvitationsBeyond(queries: AuthQueries, organisationId: string, inviter: string, role: TenantRole | undefined, audit: { actorId: string; ip: string; at: string; reason: string }): Promise<void> {
  const revoked = await queries.invitations.revokeOpenBy(organisationId, inviter, rolesInvitableBy(role), audit.at);
  for (const id of revoked) {
    await queries.audit.record({ organisationId, actorId: audit.actorId, action: 'invitation.revoked', targetType: 'invitation', targetId: id, ip: audit.ip, details: { reason: audit.reason, invitedBy: inviter } });
  }
}

export async function createOrganisation(domain: AuthDomain, userId: string, name: string, ip: string) {
  await assertVerifiedFor(domain, userId, 'create an organisation');
  const id = randomUUID();
  const at = nowIso(domain.clock);
  await domain.store.transaction(async (queries) => {
    await queries.organisations.insert({ id, name, kind: 'tenant', created_at: at });
    await queries.organisations.addMember({ organisation_id: id, user_id: userId, role: 'owner', created_at: at });
    await queries.audit.record({ organisationId: id, actorId: userId, action: 'organisation.created', targetType: 'organisation', targetId: id, ip });
  });
  return { id, name, kind: 'tenant' as const, role: 'owner' as const, createdAt: at };
}

export async function addMember(domain: AuthDomain, identity: Identity, organisationId: string, email: string, role: TenantRole, ip: string): Promise<MemberWithUser> {
  assertActsFor(identity, organisationId);
  assertMayGrant(identity, role);
  // Before the address is looked at: the answer is the same for every address.
  if (emailVerificationMode(domain.config) === 'required') {
    throw new ForbiddenError(authErrorCodes.invitationRequired, 'While e-mail verification is required, people join an organisation by accepting an invitation: POST /v1/organisations/{id}/invitations.');
  }
  const user = await domain.store.users.byEmail(normaliseEmail(email));
  if (!user) throw new NotFoundError(authErrorCodes.userNotFound, 'No account has this email; ask the person to register first.', { extensions: { field: 'body.email' } });
  if (await domain.store.organisations.membership(organisationId, user.id)) throw new ConflictError(authErrorCodes.alreadyMember, 'This person is already a member.');
  await assertMayHold(domain, user.id, organisationId, role);
  const at = nowIso(domain.clock);
  await domain.store.transaction(async (queries) => {
    await queries.organisations.addMember({ organisation_id: organisationId, user_id: user.id, role, created_at: at });
    await queries.audit.record({ organisationId, actorId: identity.subject, action: 'member.added', targetType: 'user', targetId: user.id, ip, details: { role } });
  });
  return { userId: user.id, email: user.email, displayName: user.display_name, role, since: at };
}

export async function changeRole(domain: AuthDomain, identity: Identity, organisationId: string, userId: string, role: TenantRole, ip: string): Promise<MemberWithUser> {
  assertActsFor(identity, organisationId);
  const membership = await domain.store.organisations.membership(organisationId, userId);
  if (!membership) throw new NotFoundError(authErrorCodes.memberNotFound, 'This person is not a member of the organisation.');
  assertMayGrant(identity, role);
  if (membership.role === 'owner') assertMayGrant(identity, 'owner');
  await assertMayHold(domain, userId, organisationId, role);
  if (membership.role === 'owner' && role !== 'owner' && (await domain.store.organisations.countOwners(organisationId)) <= 1) {
    throw new ConflictError(authErrorCodes.lastOwner, 'An organisation keeps at least one owner; make someone else owner first.');
  }
  await domain.store.transaction(async (queries) => {
    await queries.organisations.changeRole(organisationId, userId, role);
    await queries.audit.record({ organisationId, actorId: identity.subject, action: 'member.role_changed', targetType: 'user', targetId: userId, ip, details: { from: membership.role, to: role } });
    await revokeInvitationsBeyond(queries, organisationId, userId, role, { actorId: identity.subject, ip, at: nowIso(domain.clock), reason: 'inviter-role-changed' });
  });
  // The member's keys act with the new role at their next exchange; the gateway drops what it cached.
  if (role !== membership.role) domain.revocations.apiKeysRevoked(organisationId, await domain.apiKeys.liveIdsCreatedBy(organisationId, userId), 'creator-role-changed');
  const member = (await domain.store.organisations.membersOf(organisationId)).find((entry) => entry.userId === userId);
  return member as MemberWithUser;
}

export async function removeMember(domain: AuthDomain, identity: Identity, organisationId: string, userId: string, ip: string): Promise<void> {
  assertActsFor(identity, organisationId);
  const membership = await domain.store.organisations.membership(organisationId, userId);
  if (!membership) throw new NotFoundError(authErrorCodes.memberNotFound, 'This person is not a member of the organisation.');
  if (membership.role === 'owner') {
    assertMayGrant(identity, 'owner');
    if ((await domain.store.organisations.countOwners(organisationId)) <= 1) {
      throw new ConflictError(authErrorCodes.lastOwner, 'The last owner cannot be removed; make someone else owner first.');
    }
  }
  // A key acts for its creator: their keys are revoked with the membership, for good — adding the
  // person again later does not bring keys back that someone may have forgotten about.
  const revokedKeys = await domain.store.transaction(async (queries) => {
    await queries.organisations.removeMember(organisationId, userId);
    await queries.refreshTokens.revokeMember(userId, organisationId, nowIso(domain.clock));
    const keys = await domain.apiKeys.revokeCreatedBy(organisationId, userId, queries);
    await queries.audit.record({ organisationId, actorId: identity.subject, action: 'member.removed', targetType: 'user', targetId: userId, ip, details: { role: membership.role, apiKeysRevoked: keys.length } });
    for (const key of keys) {
      await queries.audit.record({ organisationId, actorId: identity.subject, action: 'api_key.revoked', targetType: 'api_key', targetId: key, ip, details: { reason: 'creator-removed' } });
    }
    await revokeInvitationsBeyond(queries, organisationId, userId, undefined, { actorId: identity.subject, ip, at: nowIso(domain.clock), reason: 'inviter-removed' });
    return keys;
  });
  domain.revocations.apiKeysRevoked(organisationId, revokedKeys, 'creator-removed');
}
