import { ConflictError, ForbiddenError, identityOf, type ServiceApp } from '@lift/kit';
import { Type } from '@sinclair/typebox';
import { authErrorCodes } from '../errors.js';
import type { SigningKeyRing } from '../signing-keys.js';
import type { AuditStore } from '../store/audit-store.js';

const tags = ['signing-keys'];
const security = [{ bearerAuth: [] }];
const SigningKey = Type.Object({
  kid: Type.String(),
  algorithm: Type.String(),
  state: Type.Union(['scheduled', 'signing', 'retired', 'revoked'].map((state) => Type.Literal(state))),
  createdAt: Type.String(),
  signFrom: Type.String(),
  signUntil: Type.String(),
  publishUntil: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const RotateBody = Type.Object(
  { immediately: Type.Boolean({ default: false, description: 'sign with the new key now (a compromised key), instead of after every verifier has seen it' }) },
  { additionalProperties: false },
);

/**
 * The platform's signing keys, for its admins (`platform:admin` in the platform organisation):
 * list them, rotate ahead of schedule, revoke one that leaked.
 */
export async function signingKeyRoutes(app: ServiceApp, options: { keyRing: SigningKeyRing | undefined; audit: AuditStore }): Promise<void> {
  const ringFor = (organisation: string): SigningKeyRing => {
    if (organisation !== 'platform') throw new ForbiddenError(authErrorCodes.forbidden, 'Only the platform organisation manages signing keys.');
    if (!options.keyRing) throw new ConflictError(authErrorCodes.signingKeysUnavailable, 'With JWT_ALGORITHM=HS256 tokens are signed with the shared JWT_SECRET; there are no signing keys to manage.');
    return options.keyRing;
  };
  const preHandler = app.requirePermission('platform:admin');

  app.get('/v1/signing-keys', { preHandler, schema: { operationId: 'listSigningKeys', problems: { 403: 'The token is not the platform organisation\'s (AUTH_FORBIDDEN)', 409: 'Tokens are signed with HS256: there are no signing keys (AUTH_SIGNING_KEYS_UNAVAILABLE)' }, tags, security, summary: 'Signing keys, newest first', response: { 200: Type.Object({ items: Type.Array(SigningKey), nextCursor: Type.Null() }) } } }, async (request) => ({
    items: await ringFor(identityOf(request).organisation).list(),
    nextCursor: null,
  }));

  app.post(
    '/v1/signing-keys/rotate',
    { preHandler, schema: { operationId: 'rotateSigningKey', problems: { 403: 'The token is not the platform organisation\'s (AUTH_FORBIDDEN)', 409: 'Tokens are signed with HS256: there are no signing keys (AUTH_SIGNING_KEYS_UNAVAILABLE)' }, tags, security, summary: 'Start a new signing key', body: RotateBody, response: { 201: SigningKey } } },
    async (request, reply) => {
      const identity = identityOf(request);
      const key = await ringFor(identity.organisation).rotate({ immediately: request.body.immediately });
      await options.audit.record({ organisationId: 'platform', actorId: identity.subject, action: 'signing_key.rotated', targetType: 'signing_key', targetId: key.kid, ip: request.ip, details: { immediately: request.body.immediately } });
      reply.code(201);
      return key;
    },
  );

  app.delete(
    '/v1/signing-keys/:kid',
    { preHandler, schema: { operationId: 'revokeSigningKey', problems: { 403: 'The token is not the platform organisation\'s (AUTH_FORBIDDEN)', 404: 'No signing key with that kid (AUTH_SIGNING_KEY_NOT_FOUND)', 409: 'Tokens are signed with HS256: there are no signing keys (AUTH_SIGNING_KEYS_UNAVAILABLE)' }, tags, security, summary: 'Revoke a signing key: out of the JWKS now, its tokens refused', params: Type.Object({ kid: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: SigningKey } } },
    async (request) => {
      const identity = identityOf(request);
      const key = await ringFor(identity.organisation).revoke(request.params.kid);
      await options.audit.record({ organisationId: 'platform', actorId: identity.subject, action: 'signing_key.revoked', targetType: 'signing_key', targetId: key.kid, ip: request.ip });
      return key;
    },
  );
}
