import { jwksMaxAgeSeconds, LiftError, type AccessTokenVerifier, type ServiceApp } from '@lift/kit';
import type { SigningKeyRing } from '../signing-keys.js';
import { IntrospectionBody, VerifyBody } from '../schemas.js';

/** Public keys for local verification, and introspection for callers that cannot verify locally. */
export async function tokenRoutes(app: ServiceApp, options: { verifier: AccessTokenVerifier; keyRing: SigningKeyRing | undefined }): Promise<void> {
  app.get('/.well-known/jwks.json', { schema: { operationId: 'getJwks', tags: ['tokens'], security: [], summary: 'Public keys of the access tokens (empty with HS256)' } }, async (_request, reply) => {
    // The lifetime every verifier reads the keys again after: a new key is published a lead time
    // (several of these) before it signs, and a revoked one is gone from caches within it.
    reply.header('cache-control', `public, max-age=${jwksMaxAgeSeconds}`);
    return options.keyRing ? options.keyRing.jwks() : { keys: [] };
  });

  app.post(
    '/v1/verify',
    { schema: { operationId: 'verifyToken', tags: ['tokens'], security: [], summary: 'Is this access token valid now, and for whom (RFC 7662 style)', body: VerifyBody, response: { 200: IntrospectionBody } } },
    async (request) => {
      try {
        const identity = await options.verifier.verify(request.body.token);
        return {
          active: true,
          sub: identity.subject,
          org: identity.organisation,
          roles: [...identity.roles],
          perms: [...identity.permissions],
          exp: identity.expiresAt,
          iat: identity.issuedAt,
          jti: identity.tokenId,
          ...(identity.clientId === undefined ? {} : { client_id: identity.clientId }),
          ...(identity.actor === undefined ? {} : { act: { sub: identity.actor } }),
        };
      } catch (error) {
        if (error instanceof LiftError && error.status === 401) return { active: false };
        throw error;
      }
    },
  );
}
