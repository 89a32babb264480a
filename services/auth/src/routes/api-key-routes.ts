import { ForbiddenError, identityOf, InvalidInputError, NotFoundError, type ServiceApp } from '@lift/kit';
import { exchangeApiKey } from '../api-key-exchange.js';
import type { AuthDomain } from '../auth-domain.js';
import { assertVerifiedFor } from '../email-verification.js';
import { authErrorCodes } from '../errors.js';
import { personOf } from '../person-identity.js';
import { AccessTokenBody, ApiKeyBody, ApiKeyList, ApiKeyParams, CreateApiKeyBody, CreatedApiKeyBody, ExchangeBody } from '../schemas.js';

const tags = ['api-keys'];
const security = [{ bearerAuth: [] }];

/** API keys of the organisation a token acts for (`org:admin`), and their exchange for tokens. */
export async function apiKeyRoutes(app: ServiceApp, domain: AuthDomain): Promise<void> {
  app.post(
    '/v1/api-keys',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'createApiKey', problems: { 400: 'The expiry is not in the future (AUTH_EXPIRY_IN_PAST)', 403: 'Not a person\'s own token (AUTH_PERSON_REQUIRED), or permissions the creator does not hold (AUTH_PERMISSION_NOT_HELD)' }, tags, security, summary: 'Create an API key (shown once)', body: CreateApiKeyBody, response: { 201: CreatedApiKeyBody } } },
    async (request, reply) => {
      const identity = identityOf(request);
      // The key acts for its creator (see exchangeApiKey), so only a person can create one.
      const creator = personOf(identity);
      await assertVerifiedFor(domain, creator, 'create API keys');
      const missing = request.body.permissions.filter((permission) => !identity.permissions.includes(permission));
      if (missing.length > 0) {
        throw new ForbiddenError(authErrorCodes.permissionNotHeld, `A key can only carry permissions you hold; you lack ${missing.join(', ')}.`, { extensions: { field: 'body.permissions', missing } });
      }
      const expiresAt = request.body.expiresAt === undefined ? null : new Date(request.body.expiresAt).toISOString();
      if (expiresAt !== null && Date.parse(expiresAt) <= domain.clock.now()) {
        throw new InvalidInputError(authErrorCodes.expiryInPast, 'The expiry must be in the future.', { field: 'body.expiresAt' });
      }
      const created = await domain.store.transaction(async (queries) => {
        const result = await domain.apiKeys.create({ organisationId: identity.organisation, name: request.body.name, permissions: request.body.permissions, createdBy: creator, expiresAt }, queries);
        await queries.audit.record({ organisationId: identity.organisation, actorId: creator, action: 'api_key.created', targetType: 'api_key', targetId: result.summary.id, ip: request.ip, details: { name: request.body.name, permissions: request.body.permissions } });
        return result;
      });
      reply.code(201);
      return { ...created.summary, key: created.key };
    },
  );

  app.get('/v1/api-keys', { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'listApiKeys', tags, security, summary: 'The organisation\'s API keys', response: { 200: ApiKeyList } } }, async (request) => ({
    items: await domain.apiKeys.list(identityOf(request).organisation),
    nextCursor: null,
  }));

  app.get(
    '/v1/api-keys/:apiKeyId',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'getApiKey', problems: { 404: 'No such API key in this organisation (AUTH_API_KEY_NOT_FOUND)' }, tags, security, summary: 'One API key', params: ApiKeyParams, response: { 200: ApiKeyBody } } },
    async (request) => {
      const key = await domain.apiKeys.find(identityOf(request).organisation, request.params.apiKeyId);
      if (!key) throw new NotFoundError(authErrorCodes.apiKeyNotFound, 'No such API key in this organisation.');
      return key;
    },
  );

  app.delete(
    '/v1/api-keys/:apiKeyId',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'revokeApiKey', problems: { 404: 'No such API key in this organisation (AUTH_API_KEY_NOT_FOUND)' }, tags, security, summary: 'Revoke an API key at once', params: ApiKeyParams, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      const identity = identityOf(request);
      const revoked = await domain.store.transaction(async (queries) => {
        const done = await domain.apiKeys.revoke(identity.organisation, request.params.apiKeyId, queries);
        if (done) await queries.audit.record({ organisationId: identity.organisation, actorId: identity.subject, action: 'api_key.revoked', targetType: 'api_key', targetId: request.params.apiKeyId, ip: request.ip });
        return done;
      });
      if (!revoked && !(await domain.apiKeys.find(identity.organisation, request.params.apiKeyId))) {
        throw new NotFoundError(authErrorCodes.apiKeyNotFound, 'No such API key in this organisation.');
      }
      if (revoked) domain.revocations.apiKeysRevoked(identity.organisation, [request.params.apiKeyId], 'revoked');
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/api-keys/exchange',
    { schema: { operationId: 'exchangeApiKey', problems: { 401: 'The API key is invalid, expired or revoked, or its creator left the organisation (AUTH_API_KEY_INVALID)' }, tags, security: [], summary: 'Exchange an API key for a short-lived access token', body: ExchangeBody, response: { 200: AccessTokenBody } } },
    async (request) => exchangeApiKey(domain, request.body.apiKey),
  );
}
