import { randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, InvalidInputError, isUniqueViolation, NotFoundError, nowIso, type Identity } from '@lift/kit';
import { hashSecretToken, newSecretToken } from './secret-tokens.js';
import { invitationMail } from './account-mail.js';
import { normaliseEmail, type AuthDomain } from './auth-domain.js';
import { authErrorCodes } from './errors.js';
import { mailLimited } from './mail-send-limit.js';
import { assertActsFor, assertMayGrant, assertMayHold } from './memberships.js';
import type { TenantRole } from './permissions.js';
import { personOf } from './person-identity.js';
import type { InvitationRow } from './store/invitations-store.js';

export interface InvitationSummary {
  readonly id: string;
  readonly organisationId: string;
  readonly email: string;
  readonly role: string;
  readonly invitedBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

const tokenPrefix = 'lift_inv_';
/** Tries of the replace when parallel invitations of one address collide on the unique index. */
const replaceAttempts = 5;
const summary = (row: InvitationRow): InvitationSummary => ({
  id: row.id,
  organisationId: row.organisation_id,
  email: row.email,
  role: row.role,
  invitedBy: row.invited_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/**
 * Invites an address into the organisation the token acts for (admins; only owners invite
 * owners). A newer invitation of the same address replaces the pending one. Over the send
 * limits it is refused with 429: the inviter is signed in, and the answer reveals nothing.
 */
export async function invite(domain: AuthDomain, identity: Identity, organisationId: string, input: { email: string; role: TenantRole }, ip: string): Promise<InvitationSummary> {
  assertActsFor(identity, organisationId);
  assertMayGrant(identity, input.role);
  // An invitation names the person who made it: API keys and modules do not invite.
  const inviter = personOf(identity);
  const email = normaliseEmail(input.email);
  const organisation = await domain.store.organisations.byId(organisationId);
  if (!organisation) throw new NotFoundError(authErrorCodes.organisationNotFound, 'No such organisation among those your token acts for.');
  const existing = await domain.store.users.byEmail(email);
  if (existing && (await domain.store.organisations.membership(organisationId, existing.id))) throw new ConflictError(authErrorCodes.alreadyMember, 'This person is already a member.');
  const decision = await domain.mailLimit.admit(email, ip);
  if (!decision.admitted) throw mailLimited(decision.retryAfterSeconds);
  const token = newSecretToken(tokenPrefix);
  const at = nowIso(domain.clock);
  const days = domain.config.INVITATION_TTL_DAYS;
  const row: InvitationRow = {
    id: randomUUID(),
    organisation_id: organisationId,
    email,
    role: input.role,
    token_hash: hashSecretToken(token),
    invited_by: inviter,
    created_at: at,
    expires_at: new Date(domain.clock.now() + days * 86_400_000).toISOString(),
    accepted_at: null,
    accepted_by: null,
    revoked_at: null,
  };
  const replace = () =>
    domain.store.transaction(async (queries) => {
      await queries.invitations.revokePendingFor(organisationId, email, at);
      await queries.invitations.insert(row);
      await domain.mail.queue(invitationMail(domain.config, email, { organisationName: organisation.name, role: input.role, token, days }), queries.mailOutbox);
      await queries.audit.record({ organisationId, actorId: inviter, action: 'invitation.created', targetType: 'invitation', targetId: row.id, ip, details: { email, role: input.role } });
    });
  // The unique index on the open invitation of an address makes the replace atomic: a parallel
  // invitation that committed first makes this insert fail, and the retry replaces that one.
  // Each retry follows a commit of another invitation of the address, so a few suffice.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await replace();
      break;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= replaceAttempts) throw error;
    }
  }
  domain.mail.wake();
  return summary(row);
}

export async function pendingInvitations(domain: AuthDomain, identity: Identity, organisationId: string): Promise<InvitationSummary[]> {
  assertActsFor(identity, organisationId);
  return (await domain.store.invitations.pendingOf(organisationId, nowIso(domain.clock))).map(summary);
}

export async function revokeInvitation(domain: AuthDomain, identity: Identity, organisationId: string, invitationId: string, ip: string): Promise<void> {
  assertActsFor(identity, organisationId);
  const invitation = await domain.store.invitations.pendingById(organisationId, invitationId, nowIso(domain.clock));
  if (!invitation) throw new NotFoundError(authErrorCodes.invitationNotFound, 'No pending invitation with this id in the organisation.');
  // An admin may not undo what only an owner may do: an owner's invitation of an owner.
  assertMayGrant(identity, invitation.role as TenantRole);
  await domain.store.transaction(async (queries) => {
    if (!(await queries.invitations.revoke(invitationId, nowIso(domain.clock)))) throw new NotFoundError(authErrorCodes.invitationNotFound, 'No pending invitation with this id in the organisation.');
    await queries.audit.record({ organisationId, actorId: identity.subject, action: 'invitation.revoked', targetType: 'invitation', targetId: invitationId, ip, details: { email: invitation.email } });
  });
}

/**
 * The signed-in invitee accepts: the invitation must be for their address (they register with it
 * first if they have no account). Single use: the acceptance is a conditional update, and a
 * refusal after it (already a member, an owner role while unverified) rolls it back.
 */
export async function acceptInvitation(domain: AuthDomain, userId: string, token: string, ip: string): Promise<{ organisationId: string; organisationName: string; role: string }> {
  const now = nowIso(domain.clock);
  const invitation = await domain.store.invitations.pendingByHash(hashSecretToken(token), now);
  if (!invitation) throw new InvalidInputError(authErrorCodes.invitationInvalid, 'This invitation is invalid, expired, revoked or already accepted; ask for a new one.', { field: 'body.token' });
  const user = await domain.store.users.byId(userId);
  if (!user || user.email !== invitation.email) {
    throw new ForbiddenError(authErrorCodes.invitationForAnotherAddress, 'This invitation is for another address; sign in with the address it was sent to (or register with it).');
  }
  await assertMayHold(domain, userId, invitation.organisation_id, invitation.role as TenantRole);
  await domain.store.transaction(async (queries) => {
    if (!(await queries.invitations.markAccepted(invitation.id, userId, now))) {
      throw new InvalidInputError(authErrorCodes.invitationInvalid, 'This invitation is invalid, expired, revoked or already accepted; ask for a new one.', { field: 'body.token' });
    }
    if (await queries.organisations.membership(invitation.organisation_id, userId)) throw new ConflictError(authErrorCodes.alreadyMember, 'You are already a member of this organisation.');
    await queries.organisations.addMember({ organisation_id: invitation.organisation_id, user_id: userId, role: invitation.role, created_at: now });
    await queries.audit.record({ organisationId: invitation.organisation_id, actorId: userId, action: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, ip, details: { role: invitation.role } });
    await queries.audit.record({ organisationId: invitation.organisation_id, actorId: userId, action: 'member.added', targetType: 'user', targetId: userId, ip, details: { role: invitation.role, invitation: invitation.id } });
  });
  const organisation = await domain.store.organisations.byId(invitation.organisation_id);
  return { organisationId: invitation.organisation_id, organisationName: organisation?.name ?? '', role: invitation.role };
}
