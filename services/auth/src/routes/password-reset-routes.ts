import type { ServiceApp } from '@lift/kit';
import type { AuthDomain } from '../auth-domain.js';
import { confirmPasswordReset, requestPasswordReset } from '../password-reset.js';
import { MailAcceptedBody, PasswordResetBody, PasswordResetConfirmBody } from '../schemas.js';

const tags = ['accounts'];

/** Forgotten passwords: a link by mail, then a new password with the link's token. Both public. */
export async function passwordResetRoutes(app: ServiceApp, domain: AuthDomain): Promise<void> {
  app.post(
    '/v1/password-reset',
    { schema: { operationId: 'requestPasswordReset', tags, security: [], summary: 'Send a password reset link (202 whether or not the address has an account)', body: PasswordResetBody, response: { 202: MailAcceptedBody } } },
    async (request, reply) => {
      await requestPasswordReset(domain, request.body.email, { ip: request.ip });
      return reply.code(202).send({ message: 'If this address has an account, a reset link is on its way.' });
    },
  );

  app.post(
    '/v1/password-reset/confirm',
    { schema: { operationId: 'confirmPasswordReset', problems: { 400: 'The token is unknown, expired, used or replaced (AUTH_ACCOUNT_TOKEN_INVALID), or the password fails the policy (AUTH_PASSWORD_REJECTED)' }, tags, security: [], summary: 'Set a new password with the token from the reset link; ends every session', body: PasswordResetConfirmBody, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await confirmPasswordReset(domain, request.body.token, request.body.password, { ip: request.ip });
      return reply.code(204).send();
    },
  );
}
