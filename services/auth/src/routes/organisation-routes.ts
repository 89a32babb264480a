import { ForbiddenError, identityOf, type ServiceApp } from '@lift/kit';
import { Type } from '@sinclair/typebox';
import type { AuthDomain } from '../auth-domain.js';
import { authErrorCodes } from '../errors.js';
import { addMember, assertActsFor, changeRole, createOrganisation, removeMember } from '../memberships.js';
import { personOf } from '../person-identity.js';
import {
  AddMemberBody,
  ChangeRoleBody,
  CreateOrganisationBody,
  MemberBody,
  MemberList,
  MemberParams,
  OrganisationBody,
  OrganisationList,
  OrganisationParams,
} from '../schemas.js';

const tags = ['organisations'];
const security = [{ bearerAuth: [] }];

/** Organisations and their members. Changes need `org:admin` in the organisation the token acts for. */
export async function organisationRoutes(app: ServiceApp, domain: AuthDomain): Promise<void> {
  app.get('/v1/organisations', { preHandler: app.requireIdentity, schema: { operationId: 'listOrganisations', problems: { 403: 'Not a person\'s own token (AUTH_PERSON_REQUIRED)' }, tags, security, summary: 'The organisations you belong to', response: { 200: OrganisationList } } }, async (request) => ({
    items: await domain.store.organisations.membershipsOf(personOf(identityOf(request))),
    nextCursor: null,
  }));

  app.post(
    '/v1/organisations',
    { preHandler: app.requireIdentity, schema: { operationId: 'createOrganisation', problems: { 403: 'Not a person\'s own token (AUTH_PERSON_REQUIRED), or an unverified address while verification is required (AUTH_EMAIL_NOT_VERIFIED)' }, tags, security, summary: 'Create an organisation you own', body: CreateOrganisationBody, response: { 201: OrganisationBody } } },
    async (request, reply) => {
      reply.code(201);
      return createOrganisation(domain, personOf(identityOf(request)), request.body.name, request.ip);
    },
  );

  // For platform services (billing asks before it meets an organisation): answers any id, unlike the
  // routes above, so only a platform token carrying org:lookup — no tenant role has it — may ask.
  app.get(
    '/v1/organisations/:organisationId/exists',
    {
      preHandler: app.requirePermission('org:lookup'),
      schema: { operationId: 'checkOrganisationExists', problems: { 403: 'The token is not the platform organisation\'s (AUTH_FORBIDDEN)' }, tags, security, summary: 'Whether an organisation exists (platform services, org:lookup)', params: OrganisationParams, response: { 200: Type.Object({ organisationId: Type.String(), exists: Type.Boolean() }) } },
    },
    async (request) => {
      if (identityOf(request).organisation !== 'platform') throw new ForbiddenError(authErrorCodes.forbidden, 'Only the platform\'s own services may look organisations up.');
      return { organisationId: request.params.organisationId, exists: (await domain.store.organisations.byId(request.params.organisationId)) !== undefined };
    },
  );

  app.get(
    '/v1/organisations/:organisationId/members',
    { preHandler: app.requirePermission('org:read'), schema: { operationId: 'listMembers', problems: { 404: 'No such organisation among those the token acts for (AUTH_ORGANISATION_NOT_FOUND)' }, tags, security, summary: 'Members and their roles', params: OrganisationParams, response: { 200: MemberList } } },
    async (request) => {
      assertActsFor(identityOf(request), request.params.organisationId);
      return { items: await domain.store.organisations.membersOf(request.params.organisationId), nextCursor: null };
    },
  );

  app.post(
    '/v1/organisations/:organisationId/members',
    {
      preHandler: app.requirePermission('org:admin'),
      schema: { operationId: 'addMember', problems: { 403: 'Only an owner makes owners (AUTH_OWNER_REQUIRED); while verification is required people join by invitation only (AUTH_INVITATION_REQUIRED)', 404: 'No such organisation among those the token acts for (AUTH_ORGANISATION_NOT_FOUND), or no account has this email (AUTH_USER_NOT_FOUND)', 409: 'The person is already a member (AUTH_ALREADY_MEMBER)' }, tags, security, summary: 'Add a registered person with a role', params: OrganisationParams, body: AddMemberBody, response: { 201: MemberBody } },
    },
    async (request, reply) => {
      reply.code(201);
      return addMember(domain, identityOf(request), request.params.organisationId, request.body.email, request.body.role, request.ip);
    },
  );

  app.patch(
    '/v1/organisations/:organisationId/members/:userId',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'changeMemberRole', problems: { 403: 'Only an owner makes or unmakes owners (AUTH_OWNER_REQUIRED)', 404: 'No such organisation among those the token acts for (AUTH_ORGANISATION_NOT_FOUND), or the person is not a member (AUTH_MEMBER_NOT_FOUND)', 409: 'The organisation would lose its last owner (AUTH_LAST_OWNER)' }, tags, security, summary: 'Change a member\'s role', params: MemberParams, body: ChangeRoleBody, response: { 200: MemberBody } } },
    async (request) => changeRole(domain, identityOf(request), request.params.organisationId, request.params.userId, request.body.role, request.ip),
  );

  app.delete(
    '/v1/organisations/:organisationId/members/:userId',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'removeMember', problems: { 403: 'Only an owner removes owners (AUTH_OWNER_REQUIRED)', 404: 'No such organisation among those the token acts for (AUTH_ORGANISATION_NOT_FOUND), or the person is not a member (AUTH_MEMBER_NOT_FOUND)', 409: 'The last owner cannot be removed (AUTH_LAST_OWNER)' }, tags, security, summary: 'Remove a member (never the last owner)', params: MemberParams, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await removeMember(domain, identityOf(request), request.params.organisationId, request.params.userId, request.ip);
      return reply.code(204).send();
    },
  );
}
