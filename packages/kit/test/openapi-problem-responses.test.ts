import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { authPlugin, type AccessTokenVerifier } from '../src/index.js';
import { buildTestService } from './helper.js';

const refuseEveryToken: AccessTokenVerifier = { verify: async () => Promise.reject(new Error('not in this test')) } as unknown as AccessTokenVerifier;
const problemJson = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

async function documentWithRoutes() {
  const app = await buildTestService();
  await app.register(authPlugin, { verifier: refuseEveryToken });
  app.post(
    '/v1/notes',
    { preHandler: app.requirePermission('notes:write'), schema: { operationId: 'createNote', security: [{ bearerAuth: [] }], body: Type.Object({ text: Type.String() }), problems: { 403: 'Notes are read-only today (NOTES_FROZEN)', 409: 'A note with this text exists (NOTES_DUPLICATE)' } } },
    async () => ({}),
  );
  app.get('/v1/notes/:noteId', { preHandler: app.requireIdentity, schema: { security: [{ bearerAuth: [] }], params: Type.Object({ noteId: Type.String() }) } }, async () => ({}));
  app.get('/v1/public-facts', { schema: { operationId: 'listFacts', security: [] } }, async () => ({}));
  app.post('/v1/own-errors', { errorHandler: (_error, _request, reply) => void reply.code(400).send({ error: 'invalid_request' }), schema: { operationId: 'ownErrors', security: [], body: Type.Object({}) } }, async () => ({}));
  return (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
}

describe('the problems each operation can answer, in its OpenAPI document', () => {
  it('declares what validation, the token and the permission check refuse, the route\'s own problems, and a problem default', async () => {
    const document = await documentWithRoutes();
    const responses = document.paths['/v1/notes'].post.responses;
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '403', '409', '413', '415', 'default']);
    for (const status of ['400', '401', '403', '409', '413', '415', 'default']) expect(responses[status].content).toEqual(problemJson);
    // Both reasons for a 403: the kit's permission check and the route's own.
    expect(responses['403'].description).toBe('The token does not carry the permission notes:write (AUTH_PERMISSION_MISSING); or Notes are read-only today (NOTES_FROZEN)');
    expect(responses['409'].description).toBe('A note with this text exists (NOTES_DUPLICATE)');
    expect(document.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail', 'code', 'requestId']);
  });

  it('declares no 403 without a permission check, no 413/415 without a body, no 4xx for a public route without input', async () => {
    const document = await documentWithRoutes();
    expect(Object.keys(document.paths['/v1/notes/{noteId}'].get.responses).sort()).toEqual(['200', '400', '401', 'default']);
    expect(Object.keys(document.paths['/v1/public-facts'].get.responses).sort()).toEqual(['200', 'default']);
  });

  it('leaves a route with its own error handler to declare its own answers', async () => {
    const document = await documentWithRoutes();
    expect(Object.keys(document.paths['/v1/own-errors'].post.responses)).toEqual(['200']);
  });

  it('names every operation: as its schema says, or by method and path', async () => {
    const document = await documentWithRoutes();
    expect(document.paths['/v1/notes'].post.operationId).toBe('createNote');
    expect(document.paths['/v1/notes/{noteId}'].get.operationId).toBe('getV1NotesByNoteId');
    expect(document.paths['/health'].get).toMatchObject({ operationId: 'getHealth', security: [] });
    expect(document.paths['/ready'].get).toMatchObject({ operationId: 'getReadiness', security: [] });
    expect(document.paths['/ready'].get.responses['503'].content).toEqual(problemJson);
  });

  it('keeps only the security schemes some operation uses, and serves the document from where it was fetched', async () => {
    const app = await buildTestService();
    const bare = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(bare.components.securitySchemes).toBeUndefined();
    expect(bare.servers).toEqual([{ url: '/', description: 'this service' }]);
    expect((await documentWithRoutes()).components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
  });
});
