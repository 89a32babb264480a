import { ForbiddenError, identityOf, type ServiceApp } from '@lift/kit';
import { login, logout, refresh, switchOrganisation } from '../accounts.js';
import { confirmRegistration, register } from '../registration.js';
import type { AuthDomain } from '../auth-domain.js';
import { authErrorCodes } from '../errors.js';
import { personOf, personOrDelegateOf } from '../person-identity.js';
import { LoginBody, MeBody, RefreshBody, RegisterBody, RegisteredBody, RegistrationAcceptedBody, RegistrationConfirmBody, SessionBody, SwitchBody } from '../schemas.js';

const tags = ['sessions'];
const bearer = [{ bearerAuth: [] }];

/** Register, log in, refresh, log out, switch organisation, and who am I. */
export async function sessionRoutes(app: ServiceApp, domain: AuthDomain): Promise<void> {
  app.post(
    '/v1/register',
    {
      schema: {
        operationId: 'register',
        problems: { 400: 'The password fails the policy (AUTH_PASSWORD_REJECTED)', 409: 'Verification optional: an account with this email exists (AUTH_EMAIL_TAKEN)' },
        tags,
        security: [],
        summary: 'Create an account with its own organisation',
        description: 'Verification optional: 201 with a session (409 for a taken address). Required: 202, the same answer for a new and a taken address.',
        body: RegisterBody,
        response: { 201: RegisteredBody, 202: RegistrationAcceptedBody },
      },
    },
    async (request, reply) => {
      const result = await register(domain, request.body, { ip: request.ip });
      if (result.outcome === 'signed-in') return reply.code(201).send(result.session);
      return reply.code(202).send({ email: result.email, verificationRequired: true, message: 'Open the link sent to this address and enter your password again to finish.' });
    },
  );

  app.post(
    '/v1/register/confirm',
    {
      schema: {
        operationId: 'confirmRegistration',
        problems: {
          400: 'The token is unknown, expired or used (AUTH_ACCOUNT_TOKEN_INVALID)',
          401: 'The password is not the one chosen when registering; the link dies after 5 (AUTH_INVALID_CREDENTIALS)',
          409: 'An account with this address was created meanwhile (AUTH_EMAIL_TAKEN)',
        },
        tags,
        security: [],
        summary: 'Create the registered account from its link (verification required) and sign in',
        description: 'The token from the registration link and the password chosen when registering: the account is created with its address verified, and a session starts.',
        body: RegistrationConfirmBody,
        response: { 201: RegisteredBody },
      },
    },
    async (request, reply) => reply.code(201).send(await confirmRegistration(domain, request.body, { ip: request.ip })),
  );

  app.post('/v1/login', { schema: { operationId: 'logIn', problems: { 401: 'The email or password is wrong (AUTH_INVALID_CREDENTIALS)', 403: 'The account is not a member of the organisation asked for, or of any (AUTH_NOT_A_MEMBER)', 429: 'Too many failed logins; Retry-After says when to try again (AUTH_LOGIN_LOCKED)' }, tags, security: [], summary: 'Log in with email and password', body: LoginBody, response: { 200: SessionBody } } }, async (request) =>
    login(domain, request.body, { ip: request.ip }),
  );

  app.post('/v1/token/refresh', { schema: { operationId: 'refreshTokens', problems: { 401: 'The refresh token is invalid, expired, revoked or reused (AUTH_REFRESH_TOKEN_INVALID, AUTH_REFRESH_TOKEN_REUSED), or the account left the organisation (AUTH_NOT_A_MEMBER)' }, tags, security: [], summary: 'Exchange a refresh token for new tokens (rotation)', body: RefreshBody, response: { 200: SessionBody } } }, async (request) =>
    refresh(domain, request.body.refreshToken, { ip: request.ip }),
  );

  app.post('/v1/logout', { schema: { operationId: 'logOut', tags, security: [], summary: 'End the session of a refresh token', body: RefreshBody, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    await logout(domain, request.body.refreshToken, { ip: request.ip });
    return reply.code(204).send();
  });

  app.post(
    '/v1/token/switch',
    { preHandler: app.requireIdentity, schema: { operationId: 'switchOrganisation', problems: { 403: 'Not a person\'s own token (AUTH_PERSON_REQUIRED), or not a member of that organisation (AUTH_NOT_A_MEMBER)' }, tags, security: bearer, summary: 'A session in another organisation you belong to', body: SwitchBody, response: { 200: SessionBody } } },
    async (request) => switchOrganisation(domain, personOf(identityOf(request)), request.body.organisationId),
  );

  app.get('/v1/me', { preHandler: app.requireIdentity, schema: { operationId: 'getMe', problems: { 403: 'The token does not belong to a person (AUTH_PERSON_REQUIRED, AUTH_FORBIDDEN)' }, tags, security: bearer, summary: 'The caller, its organisations and its permissions', response: { 200: MeBody } } }, async (request) => {
    const identity = identityOf(request);
    const user = await domain.store.users.byId(personOrDelegateOf(identity));
    if (!user) throw new ForbiddenError(authErrorCodes.forbidden, 'This token does not belong to a person.');
    return {
      id: user.id,
      email: user.email,
      emailVerified: user.email_verified_at !== null,
      displayName: user.display_name,
      organisationId: identity.organisation,
      roles: [...identity.roles],
      permissions: [...identity.permissions],
      // A module acting for the person sees only the organisation it acts in.
      memberships: (await domain.store.organisations.membershipsOf(user.id)).filter((membership) => identity.actor === undefined || membership.organisationId === identity.organisation),
    };
  });
}
