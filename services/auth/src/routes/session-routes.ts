import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, identityOf, LiftError, UnauthorizedError, type ServiceApp } from '@lift/kit';
import { login, logout, refresh, switchOrganisation } from '../accounts.js';
import { confirmRegistration, register } from '../registration.js';
import type { AuthDomain } from '../auth-domain.js';
import { authErrorCodes } from '../errors.js';
import { personOf, personOrDelegateOf } from '../person-identity.js';
import { LoginBody, MeBody, RefreshBody, RegisterBody, RegisteredBody, RegistrationAcceptedBody, RegistrationConfirmBody, SessionBody, SwitchBody, TokenRefreshBody } from '../schemas.js';
import type { Session } from '../sessions.js';
import type { SessionCookies } from '../session-cookies.js';

const tags = ['sessions'];
const bearer = [{ bearerAuth: [] }];
const csrfProblem = 'With the cookie: x-csrf-token is missing or not this session\'s (AUTH_CSRF_REJECTED)';

/** A browser refreshing or logging out from its cookie may send no body at all: read as `{}`. */
function absentBodyAsEmpty(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  request.body ??= {};
  done();
}

/** Register, log in, refresh, log out, switch organisation, and who am I. */
export async function sessionRoutes(app: ServiceApp, domain: AuthDomain, cookies: SessionCookies): Promise<void> {
  /** The session as asked for: as it is (body), or its refresh token moved into cookies. */
  const deliver = async <S extends Session>(reply: FastifyReply, session: S, delivery: 'body' | 'cookie' | undefined): Promise<S | Omit<S, 'refreshToken'>> => {
    if (delivery !== 'cookie') return session;
    const { refreshToken, ...rest } = session;
    reply.header('set-cookie', await cookies.issued(refreshToken));
    return rest;
  };

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
      if (result.outcome === 'signed-in') return reply.code(201).send(await deliver(reply, result.session, request.body.refreshTokenDelivery));
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
    async (request, reply) => reply.code(201).send(await deliver(reply, await confirmRegistration(domain, request.body, { ip: request.ip }), request.body.refreshTokenDelivery)),
  );

  app.post('/v1/login', { schema: { operationId: 'logIn', problems: { 401: 'The email or password is wrong (AUTH_INVALID_CREDENTIALS)', 403: 'The account is not a member of the organisation asked for, or of any (AUTH_NOT_A_MEMBER)', 429: 'Too many failed logins; Retry-After says when to try again (AUTH_LOGIN_LOCKED)' }, tags, security: [], summary: 'Log in with email and password', body: LoginBody, response: { 200: SessionBody } } }, async (request, reply) =>
    deliver(reply, await login(domain, request.body, { ip: request.ip }), request.body.refreshTokenDelivery),
  );

  app.post(
    '/v1/token/refresh',
    {
      preValidation: absentBodyAsEmpty,
      schema: {
        operationId: 'refreshTokens',
        problems: {
          401: 'The refresh token is invalid, expired, revoked or reused (AUTH_REFRESH_TOKEN_INVALID, AUTH_REFRESH_TOKEN_REUSED), or the account left the organisation (AUTH_NOT_A_MEMBER); with the cookie, both cookies are cleared',
          403: csrfProblem,
        },
        tags,
        security: [],
        summary: 'Exchange a refresh token for new tokens (rotation)',
        description: 'The refresh token in the body, answered in the body; or, with no refreshToken in the body, the lift_refresh cookie with its CSRF token in x-csrf-token, answered with new cookies.',
        body: TokenRefreshBody,
        response: { 200: SessionBody },
      },
    },
    async (request, reply) => {
      const origin = { ip: request.ip };
      // A token in the body is an API client's: it wins, and the cookie is not looked at.
      if (request.body.refreshToken !== undefined) return refresh(domain, request.body.refreshToken, origin);
      const refreshToken = cookies.refreshTokenOf(request.headers);
      if (refreshToken === undefined) throw new UnauthorizedError(authErrorCodes.invalidRefreshToken, 'No refresh token: send it in the body, or log in again to get the lift_refresh cookie.');
      await cookies.checkCsrf(request.headers, refreshToken);
      try {
        return await deliver(reply, await refresh(domain, refreshToken, origin), 'cookie');
      } catch (error) {
        // The cookie's session is over: the browser drops it, rather than sending it on every try.
        if (error instanceof LiftError && error.status === 401) reply.header('set-cookie', cookies.cleared);
        throw error;
      }
    },
  );

  app.post('/v1/logout', { schema: { operationId: 'logOut', tags, security: [], summary: 'End the session of a refresh token', body: RefreshBody, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    await logout(domain, request.body.refreshToken, { ip: request.ip });
    return reply.code(204).send();
  });

  // The lift_refresh cookie is sent only under /auth/v1/token, so /v1/logout never sees it.
  app.post(
    '/v1/token/logout',
    {
      schema: {
        operationId: 'logOutBrowserSession',
        problems: { 403: csrfProblem },
        tags,
        security: [],
        summary: 'End the session of the lift_refresh cookie and clear the cookies',
        description: 'The web console\'s logout: the session of the lift_refresh cookie ends (its CSRF token in x-csrf-token), and both cookies are cleared. Without the cookie, nothing happens (204).',
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const refreshToken = cookies.refreshTokenOf(request.headers);
      // Without this browser's cookie there is nothing to end, and nothing is cleared: a page on
      // another site posting here (its request carries no SameSite=Strict cookie) must not be able
      // to sign the console out through the Set-Cookie of the answer.
      if (refreshToken === undefined) return reply.code(204).send();
      await cookies.checkCsrf(request.headers, refreshToken);
      await logout(domain, refreshToken, { ip: request.ip });
      return reply.header('set-cookie', cookies.cleared).code(204).send();
    },
  );

  app.post(
    '/v1/token/switch',
    { preHandler: app.requireIdentity, schema: { operationId: 'switchOrganisation', problems: { 403: 'Not a person\'s own token (AUTH_PERSON_REQUIRED), or not a member of that organisation (AUTH_NOT_A_MEMBER)' }, tags, security: bearer, summary: 'A session in another organisation you belong to', body: SwitchBody, response: { 200: SessionBody } } },
    async (request, reply) => {
      const session = await switchOrganisation(domain, personOf(identityOf(request)), request.body.organisationId);
      // A browser holds one session: the cookie's old one ends as the new one replaces it, rather
      // than living on, unreachable, until it expires. The access token proved who asks (a page
      // on another site cannot send it), so no CSRF token is needed.
      const previous = request.body.refreshTokenDelivery === 'cookie' ? cookies.refreshTokenOf(request.headers) : undefined;
      if (previous !== undefined) await logout(domain, previous, { ip: request.ip });
      return deliver(reply, session, request.body.refreshTokenDelivery);
    },
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
