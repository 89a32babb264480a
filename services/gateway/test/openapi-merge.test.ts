import { describe, expect, it } from 'vitest';
import { withEdgeAnswers } from '../src/edge-answers.js';
import { mergeOpenApiDocuments, type OpenApiDocument } from '../src/openapi-merge.js';
import { unresolvedReferences } from './unresolved-references.js';

const bearer = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };

function serviceDocument(overrides: Partial<OpenApiDocument>): OpenApiDocument {
  return { openapi: '3.1.0', info: { title: 'a service', version: '1.0.0' }, components: { securitySchemes: { bearerAuth: bearer } }, paths: {}, ...overrides };
}

const auth = serviceDocument({
  servers: [{ url: 'http://10.0.0.11:8001' }],
  tags: [{ name: 'sessions', description: 'Sign in and out' }],
  paths: {
    '/health': { get: { tags: ['health'], responses: { 200: { description: 'alive' } } } },
    '/v1/users/{userId}': {
      servers: [{ url: 'http://10.0.0.11:8001/internal' }],
      get: {
        operationId: 'getUser',
        tags: ['sessions'],
        security: [{ bearerAuth: [] }],
        responses: {
          200: {
            description: 'the user',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
            links: { organisation: { operationId: 'getOrganisation', parameters: { id: '$response.body#/org' } } },
          },
        },
      },
    },
    '/v1/organisations/{id}': { get: { operationId: 'getOrganisation', servers: [{ url: 'http://10.0.0.11:9999' }], responses: { 200: { $ref: '#/components/responses/Organisation' } } } },
  },
  components: {
    securitySchemes: { bearerAuth: bearer },
    schemas: {
      User: { type: 'object', properties: { pet: { $ref: '#/components/schemas/Pet' }, org: { type: 'string' } } },
      Pet: { oneOf: [{ $ref: '#/components/schemas/Cat' }], discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat' } } },
      Cat: { type: 'object' },
    },
    responses: { Organisation: { description: 'an organisation', content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } } },
  },
});

const billing = serviceDocument({
  security: [{ bearerAuth: [] }],
  paths: {
    '/v1/users/{userId}': { get: { operationId: 'getUser', tags: ['accounts'], responses: { 200: { description: 'billing\'s user', content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } } } } },
    '/v1/public': { get: { operationId: 'listPlans', security: [], responses: { 200: { $ref: '#/paths/~1v1~1users~1%7BuserId%7D/get/responses/200' } } } },
  },
  components: { securitySchemes: { bearerAuth: { type: 'apiKey', in: 'header', name: 'x-billing-key' } }, schemas: { User: { type: 'object', properties: { cents: { type: 'integer' } } } } },
});

const gateway = serviceDocument({ paths: { '/health/detailed': { get: { tags: ['health'], responses: { 200: { description: 'every service' } } } } } });

const merged = mergeOpenApiDocuments({
  info: { title: 'Lift OS Core API', version: '0.1.0' },
  servers: [{ url: '/' }],
  parts: [
    { service: 'gateway', prefix: '', document: gateway },
    { service: 'auth', prefix: '/auth', document: auth },
    { service: 'billing', prefix: '/billing', document: billing },
  ],
});

type Operation = { operationId?: string; tags?: string[]; security?: Record<string, string[]>[]; responses: Record<string, Record<string, unknown>> };
const operation = (path: string, method = 'get') => merged.paths?.[path]?.[method] as Operation;

describe('merging the services\' OpenAPI documents', () => {
  it('puts every service\'s paths under its gateway prefix and keeps the gateway\'s own as they are', () => {
    expect(Object.keys(merged.paths ?? {}).sort()).toEqual(['/auth/health', '/auth/v1/organisations/{id}', '/auth/v1/users/{userId}', '/billing/v1/public', '/billing/v1/users/{userId}', '/health/detailed']);
    expect(merged.servers).toEqual([{ url: '/' }]);
    expect(merged.openapi).toBe('3.1.0');
  });

  it('namespaces operationIds, tags and component names so that two services cannot collide', () => {
    expect(operation('/auth/v1/users/{userId}').operationId).toBe('auth.getUser');
    expect(operation('/billing/v1/users/{userId}').operationId).toBe('billing.getUser');
    expect(operation('/auth/health').tags).toEqual(['auth/health']);
    expect(operation('/health/detailed').tags).toEqual(['gateway/health']);
    expect(operation('/auth/v1/organisations/{id}').tags).toEqual(['auth']);
    expect(Object.keys(merged.components?.schemas ?? {}).sort()).toEqual(['auth.Cat', 'auth.Pet', 'auth.User', 'billing.User']);
    expect(merged.components?.schemas?.['billing.User']).toEqual({ type: 'object', properties: { cents: { type: 'integer' } } });
    expect(merged.tags).toEqual(expect.arrayContaining([{ name: 'auth/sessions', description: 'Sign in and out' }, { name: 'billing/accounts' }, { name: 'gateway/health' }]));
  });

  it('rewrites every reference to the new names: $ref, discriminator mapping, path references and links', () => {
    expect(operation('/auth/v1/users/{userId}').responses['200']?.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/auth.User' } } });
    expect(operation('/billing/v1/users/{userId}').responses['200']?.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/billing.User' } } });
    expect(merged.components?.schemas?.['auth.Pet']).toEqual({ oneOf: [{ $ref: '#/components/schemas/auth.Cat' }], discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/auth.Cat' } } });
    expect(operation('/billing/v1/public').responses['200']).toEqual({ $ref: '#/paths/~1billing~1v1~1users~1%7BuserId%7D/get/responses/200' });
    expect(operation('/auth/v1/users/{userId}').responses['200']?.links).toEqual({ organisation: { operationId: 'auth.getOrganisation', parameters: { id: '$response.body#/org' } } });
    expect(unresolvedReferences(merged)).toEqual([]);
  });

  it('shares identical security schemes, namespaces conflicting ones and moves a top-level requirement onto the operations', () => {
    expect(merged.components?.securitySchemes).toEqual({ bearerAuth: bearer, 'billing.bearerAuth': { type: 'apiKey', in: 'header', name: 'x-billing-key' } });
    expect(operation('/auth/v1/users/{userId}').security).toEqual([{ bearerAuth: [] }]);
    expect(operation('/auth/health').security).toBeUndefined();
    expect(operation('/billing/v1/users/{userId}').security).toEqual([{ 'billing.bearerAuth': [] }]);
    expect(operation('/billing/v1/public').security).toEqual([]);
    expect(merged.security).toBeUndefined();
  });

  it('leaves out every internal address a service declared', () => {
    expect(JSON.stringify(merged)).not.toContain('10.0.0.11');
  });

  it('keeps the earlier part\'s operation when two define the same method on the same path', () => {
    const shadowing = serviceDocument({ paths: { '/health/detailed': { get: { operationId: 'shadow', responses: {} }, post: { operationId: 'extra', responses: {} } } } });
    const result = mergeOpenApiDocuments({
      info: { title: 't', version: '1' },
      servers: [],
      parts: [
        { service: 'gateway', prefix: '', document: gateway },
        { service: 'other', prefix: '', document: shadowing },
      ],
    });
    expect((result.paths?.['/health/detailed']?.get as Operation).operationId).toBeUndefined();
    expect((result.paths?.['/health/detailed']?.post as Operation).operationId).toBe('other.extra');
  });
});

describe('what the edge adds to each service\'s operations (withEdgeAnswers)', () => {
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
  const authDocument = withEdgeAnswers(
    serviceDocument({
      paths: {
        '/v1/login': { post: { operationId: 'login', security: [], responses: { 200: { description: 'signed in' }, 400: problem('A field is invalid (REQUEST_VALIDATION_FAILED)') } } },
        '/v1/oauth/token': { post: { operationId: 'issueToken', security: [], responses: { 200: { description: 'a token' }, 400: { description: 'An OAuth error', content: { 'application/json': {} } } } } },
        '/v1/plans': { get: { operationId: 'listPlans', security: [], responses: { 200: { description: 'the plans' } } } },
        '/v1/users/{userId}': { get: { operationId: 'getUser', security: [{ bearerAuth: [] }], responses: { 200: { description: 'the user' } } } },
      },
    }),
    '/auth',
  );
  const responsesOf = (path: string, method: string) => (authDocument.paths?.[path]?.[method] as Operation).responses;
  const statuses = (path: string, method: string) => Object.keys(responsesOf(path, method)).sort();

  it('declares the gateway\'s 402 GATEWAY_QUOTA_EXCEEDED on every operation that needs a token, and on no public one', () => {
    expect(responsesOf('/v1/users/{userId}', 'get')['402']).toEqual(problem(expect.stringContaining('GATEWAY_QUOTA_EXCEEDED') as unknown as string));
    for (const [path, method] of [['/v1/login', 'post'], ['/v1/oauth/token', 'post'], ['/v1/plans', 'get']] as const) expect(statuses(path, method)).not.toContain('402');
  });

  it('declares the edge\'s 413 (a Content-Length over its limit) on every forwarded operation, a GET included', () => {
    for (const [path, method] of [['/v1/login', 'post'], ['/v1/plans', 'get'], ['/v1/users/{userId}', 'get']] as const) {
      expect(responsesOf(path, method)['413']?.description).toContain('REQUEST_BODY_TOO_LARGE');
    }
  });

  it('names GATEWAY_HOST_NOT_ALLOWED in every 400, besides a service\'s own reasons, and leaves an answer in the service\'s own format alone', () => {
    expect(responsesOf('/v1/plans', 'get')['400']?.description).toContain('GATEWAY_HOST_NOT_ALLOWED');
    expect(responsesOf('/v1/login', 'post')['400']?.description).toMatch(/^A field is invalid \(REQUEST_VALIDATION_FAILED\); or .*GATEWAY_HOST_NOT_ALLOWED.*GATEWAY_AMBIGUOUS_PATH/);
    expect(responsesOf('/v1/oauth/token', 'post')['400']).toEqual({ description: 'An OAuth error', content: { 'application/json': {} } });
  });

  it('names GATEWAY_RATE_LIMIT_UNAVAILABLE in the 503 of sign-in and of operations taking an API key only', () => {
    for (const [path, method] of [['/v1/login', 'post'], ['/v1/oauth/token', 'post'], ['/v1/users/{userId}', 'get']] as const) {
      expect(responsesOf(path, method)['503']?.description).toContain('GATEWAY_RATE_LIMIT_UNAVAILABLE');
    }
    expect(responsesOf('/v1/plans', 'get')['503']?.description).not.toContain('GATEWAY_RATE_LIMIT_UNAVAILABLE');
    expect(responsesOf('/v1/plans', 'get')['503']?.description).toContain('GATEWAY_UPSTREAM_UNAVAILABLE');
  });
});
