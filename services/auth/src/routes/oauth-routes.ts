import { parse } from 'node:querystring';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { publicBaseUrl, serviceClientSecrets, type Identity, type ServiceApp } from '@lift/kit';
import { Type } from '@sinclair/typebox';
import type { AuthConfig } from '../config.js';
import { authorizationServerMetadata } from '../oauth/authorization-server-metadata.js';
import { clientAuthenticator, presentedClient } from '../oauth/client-authentication.js';
import { clientCredentialsGrant } from '../oauth/client-credentials-grant.js';
import { formRequired, noStoreHeaders, oauthErrorHandler, OAuthError } from '../oauth/oauth-error.js';
import { tokenExchangeGrant, tokenExchangeGrantType } from '../oauth/token-exchange-grant.js';
import { servicePermissions } from '../service-permissions.js';
import type { TokenIssuer } from '../token-issuer.js';
import type { Clock } from '@lift/kit';

const tags = ['oauth'];
const text = (maxLength: number, description?: string) => Type.Optional(Type.String({ maxLength, ...(description ? { description } : {}) }));

// Open on purpose: RFC 6749 §3.2 says unknown parameters are ignored. A repeated parameter arrives
// as a list and fails its string type, which RFC 6749 requires to be refused (invalid_request).
const TokenRequest = Type.Object({
  grant_type: Type.String({ maxLength: 128, description: `client_credentials or ${tokenExchangeGrantType}` }),
  client_id: text(64, 'with client_secret_post'),
  client_secret: text(256, 'with client_secret_post'),
  scope: text(2048, 'space-separated permissions, a subset of what the grant allows'),
  subject_token: text(8192, 'token exchange: the token to exchange'),
  subject_token_type: text(128, 'token exchange: urn:ietf:params:oauth:token-type:access_token'),
  requested_token_type: text(128),
  audience: text(128, 'token exchange: module:<moduleId>, or the platform audience for a module\'s token'),
  resource: text(2048),
  actor_token: text(8192),
  actor_token_type: text(128),
});

const TokenAnswer = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.Optional(Type.String()),
  issued_token_type: Type.Optional(Type.String()),
});

const OAuthErrorAnswer = Type.Object({ error: Type.String(), error_description: Type.Optional(Type.String()) }, { description: 'RFC 6749 §5.2 error' });

export interface OAuthRoutesOptions {
  readonly config: AuthConfig;
  readonly issuer: TokenIssuer;
  readonly clock: Clock;
  readonly verifySubject: (token: string) => Promise<Identity>;
  readonly platformAccessOf: (moduleId: string) => Promise<readonly string[]>;
}

function isForm(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * The OAuth 2.0 authorization server's endpoints, in the standards' own format (form bodies,
 * snake_case, RFC 6749 errors): the token endpoint with the client-credentials grant (services)
 * and token exchange (modules, RFC 8693), and the RFC 8414 metadata that describes them.
 */
export async function oauthRoutes(app: ServiceApp, options: OAuthRoutesOptions): Promise<void> {
  const authenticate = clientAuthenticator(serviceClientSecrets(options.config.SERVICE_CLIENT_SECRETS), (clientId) => servicePermissions[clientId]);
  const exchange = tokenExchangeGrant({ issuer: options.issuer, clock: options.clock, verifySubject: options.verifySubject, platformAccessOf: options.platformAccessOf });
  const metadata = authorizationServerMetadata({ issuer: options.issuer.issuer, publicUrl: publicBaseUrl(options.config) });

  app.get(
    '/.well-known/oauth-authorization-server',
    { schema: { operationId: 'getAuthorizationServerMetadata', tags, security: [], summary: 'Authorization-server metadata (RFC 8414)' } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return metadata;
    },
  );

  // RFC 6749 token requests are form-encoded; no other auth route takes forms. The parser lives in
  // the token endpoint's own scope: on the root app it would let a cross-site form (no CORS
  // preflight) post to login or registration.
  await app.register(async (scope: ServiceApp) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32_768 }, (_request, body, done) => done(null, parse(body as string)));
    scope.post(
      '/v1/oauth/token',
      {
        errorHandler: oauthErrorHandler,
        // Before validation: a JSON body should hear "send a form", not which form field it lacks.
        preValidation: (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => done(isForm(request.headers['content-type']) ? undefined : formRequired()),
        schema: {
          operationId: 'requestOAuthToken',
          tags,
          security: [],
          summary: 'Token endpoint: client credentials (RFC 6749 §4.4) and token exchange (RFC 8693)',
          consumes: ['application/x-www-form-urlencoded'],
          body: TokenRequest,
          response: { 200: TokenAnswer, 400: OAuthErrorAnswer, 401: OAuthErrorAnswer },
        },
      },
      async (request, reply) => {
        const presented = presentedClient(request.headers.authorization, request.body);
        const client = presented ? authenticate(presented) : undefined;
        reply.headers(noStoreHeaders);
        switch (request.body.grant_type) {
          case 'client_credentials':
            return clientCredentialsGrant(options.issuer, client, request.body.scope);
          case tokenExchangeGrantType:
            return exchange(client, request.body);
          default:
            throw new OAuthError('unsupported_grant_type', `Supported grants: client_credentials and ${tokenExchangeGrantType}.`);
        }
      },
    );
  });
}
