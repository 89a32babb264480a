import { identityOf, type ServiceApp } from '@lift/kit';
import type { AuthDomain } from '../auth-domain.js';
import { acceptInvitation, invite, pendingInvitations, revokeInvitation } from '../invitations.js';
import { personOf } from '../person-identity.js';
import { AcceptedInvitationBody, AccountTokenBody, InvitationBody, InvitationList, InvitationParams, InviteBody, OrganisationParams } from '../schemas.js';

const tags = ['organisations'];
const security = [{ bearerAuth: [] }];

/** Invitations into the organisation a token acts for (`org:admin`), and their acceptance by the invitee. */
export async function invitationRoutes(app: ServiceApp, domain: AuthDomain): Promise<void> {
  app.post(
    '/v1/organisations/:organisationId/invitations',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'createInvitation', problems: { 403: 'Only owners invite owners (AUTH_OWNER_REQUIRED); not a person\'s own token (AUTH_PERSON_REQUIRED)', 404: 'No such organisation among those the token acts for (AUTH_ORGANISATION_NOT_FOUND)', 409: 'The address belongs to a member already (AUTH_ALREADY_MEMBER)', 429: 'Too many invitations to this address or from this client (AUTH_MAIL_LIMITED)' }, tags, security, summary: 'Invite an address (only owners invite owners)', params: OrganisationParams, body: InviteBody, response: { 201: InvitationBody } } },
    async (request, reply) => {
      const created = await invite(domain, identityOf(request), request.params.organisationId, request.body, request.ip);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/organisations/:organisationId/invitations',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'listInvitations', problems: { 404: 'No such organisation among those the token acts for (AUTH_ORGANISATION_NOT_FOUND)' }, tags, security, summary: 'The pending invitations', params: OrganisationParams, response: { 200: InvitationList } } },
    async (request) => ({ items: await pendingInvitations(domain, identityOf(request), request.params.organisationId), nextCursor: null }),
  );

  app.delete(
    '/v1/organisations/:organisationId/invitations/:invitationId',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'revokeInvitation', problems: { 403: 'Only owners revoke owner invitations (AUTH_OWNER_REQUIRED)', 404: 'No such organisation, or no pending invitation with this id in it (AUTH_ORGANISATION_NOT_FOUND, AUTH_INVITATION_NOT_FOUND)' }, tags, security, summary: 'Revoke a pending invitation', params: InvitationParams, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await revokeInvitation(domain, identityOf(request), request.params.organisationId, request.params.invitationId, request.ip);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/invitations/accept',
    { preHandler: app.requireIdentity, schema: { operationId: 'acceptInvitation', problems: { 400: 'The invitation is unknown, expired, revoked or accepted (AUTH_INVITATION_INVALID)', 403: 'Not a person\'s own token (AUTH_PERSON_REQUIRED); sent to another address (AUTH_INVITATION_FOR_ANOTHER_ADDRESS); an owner role for an unverified address (AUTH_EMAIL_NOT_VERIFIED)', 409: 'Already a member (AUTH_ALREADY_MEMBER)' }, tags, security, summary: 'Accept an invitation sent to your address', body: AccountTokenBody, response: { 200: AcceptedInvitationBody } } },
    async (request) => acceptInvitation(domain, personOf(identityOf(request)), request.body.token, request.ip),
  );
}
