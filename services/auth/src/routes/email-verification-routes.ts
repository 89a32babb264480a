import { identityOf, type ServiceApp } from '@lift/kit';
import type { AuthDomain } from '../auth-domain.js';
import { confirmEmailVerification, resendVerification } from '../email-verification.js';
import { personOf } from '../person-identity.js';
import { AccountTokenBody, MailAcceptedBody } from '../schemas.js';

const tags = ['accounts'];

/** Verifying the address: a new link for the signed-in person, and the link's confirmation. */
export async function emailVerificationRoutes(app: ServiceApp, domain: AuthDomain): Promise<void> {
  app.post(
    '/v1/email-verification',
    { preHandler: app.requireIdentity, schema: { operationId: 'sendEmailVerification', problems: { 403: 'Not a person\'s own token (AUTH_PERSON_REQUIRED)', 409: 'The address is verified already (AUTH_EMAIL_ALREADY_VERIFIED)', 429: 'Too many links to this address or from this client; Retry-After says when (AUTH_MAIL_LIMITED)' }, tags, security: [{ bearerAuth: [] }], summary: 'Send a new verification link to your address', response: { 202: MailAcceptedBody } } },
    async (request, reply) => {
      await resendVerification(domain, personOf(identityOf(request)), request.ip);
      return reply.code(202).send({ message: 'A new link is on its way; earlier links no longer work.' });
    },
  );

  // Public: the console page posts the token from the link (a GET never spends one).
  app.post(
    '/v1/email-verification/confirm',
    { schema: { operationId: 'confirmEmailVerification', problems: { 400: 'The token is unknown, expired, used or replaced (AUTH_ACCOUNT_TOKEN_INVALID)' }, tags, security: [], summary: 'Confirm an address with the token from its link', body: AccountTokenBody, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await confirmEmailVerification(domain, request.body.token, request.ip);
      return reply.code(204).send();
    },
  );
}
