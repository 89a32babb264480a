import { createHash, timingSafeEqual } from 'node:crypto';
import { parse } from 'node:querystring';
import { serviceClientSecrets, type ServiceApp } from '@lift/kit';
import { Type } from '@sinclair/typebox';
import type { AuthDomain } from '../auth-domain.js';
import { servicePermissions } from '../service-permissions.js';

const serviceTokenLifetimeSeconds = 300;

const TokenRequest = Type.Object({
  grant_type: Type.String({ maxLength: 64 }),
  client_id: Type.Optional(Type.String({ maxLength: 64 })),
  client_secret: Type.Optional(Type.String({ maxLength: 256 })),
  scope: Type.Optional(Type.String({ maxLength: 1024 })),
});

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): a platform service exchanges its client id and
 * secret (from SERVICE_CLIENT_SECRETS) for a short-lived token. Standard format on purpose: form
 * body, snake_case fields, RFC 6749 error answers.
 */
export async function serviceTokenRoutes(app: ServiceApp, domain: AuthDomain): Promise<void> {
  const secrets = serviceClientSecrets(domain.config.SERVICE_CLIENT_SECRETS);
  const digest = (value: string) => createHash('sha256').update(value).digest();

  // RFC 6749 token requests are form-encoded; no other auth route takes forms.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => done(null, parse(body as string)));
  app.post('/v1/oauth/token', { schema: { tags: ['tokens'], security: [], summary: 'Client credentials for platform services (RFC 6749 §4.4)', body: TokenRequest } }, async (request, reply) => {
    const oauthError = (status: number, error: string, description: string) =>
      reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
    if (request.body.grant_type !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported.');
    let clientId = request.body.client_id;
    let clientSecret = request.body.client_secret;
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(request.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const expected = clientId === undefined ? undefined : secrets.get(clientId);
    const permissions = clientId === undefined ? undefined : servicePermissions[clientId];
    // Compare digests in constant time whether or not the client exists.
    const matches = timingSafeEqual(digest(clientSecret ?? ''), digest(expected ?? '\u0000no such client'));
    if (!matches || expected === undefined || permissions === undefined) {
      reply.header('www-authenticate', 'Basic realm="lift"');
      return oauthError(401, 'invalid_client', 'Unknown service or wrong secret.');
    }
    const issued = await domain.issuer.issue({ subject: `svc:${clientId}`, organisation: 'platform', roles: ['service'], permissions }, serviceTokenLifetimeSeconds);
    reply.header('cache-control', 'no-store');
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  });
}
