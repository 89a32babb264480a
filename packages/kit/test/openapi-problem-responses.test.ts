import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { authPlugin, type AccessTokenVerifier } from '../src/index.js';
import { buildTestService } from './helper.js';

const refuseEveryToken: AccessTokenVerifier = { verify: async () => Promise.reject(new Error('not in this test')) } as unknown as AccessTokenVerifier;
const problemJson = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

async function appWithRoutes() {
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
  // Bodies Fastify parses though the route has no body schema: a delete by id, and a run without input.
  app.delete('/v1/notes/:noteId', { schema: { operationId: 'deleteNote', security: [], params: Type.Object({ noteId: Type.String() }) } }, async () => ({}));
  app.post('/v1/runs', { schema: { operationId: 'startRun', security: [] } }, async () => ({}));
  return app;
}

async function documentWithRoutes() {
  const app = await appWithRoutes();
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

  it('declares no 403 without a permission check, no 413/415 on a method without a body, no 4xx for a public GET without input', async () => {
    const document = await documentWithRoutes();
    expect(Object.keys(document.paths['/v1/notes/{noteId}'].get.responses).sort()).toEqual(['200', '400', '401', 'default']);
    expect(Object.keys(document.paths['/v1/public-facts'].get.responses).sort()).toEqual(['200', 'default']);
  });

  it('declares the body parser\'s 400, 413 and 415 on every method that carries a body, with or without a body schema (a DELETE or POST without one answers them too)', async () => {
    const app = await appWithRoutes();
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const plain = await app.inject({ method: 'DELETE', url: '/v1/notes/n1', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(plain.statusCode).toBe(415);
    expect(plain.json()).toMatchObject({ code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE' });
    const broken = await app.inject({ method: 'POST', url: '/v1/runs', headers: { 'content-type': 'application/json' }, payload: '{' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'REQUEST_MALFORMED_BODY' });

    const deleteResponses = document.paths['/v1/notes/{noteId}'].delete.responses;
    expect(Object.keys(deleteResponses).sort()).toEqual(['200', '400', '413', '415', 'default']);
    expect(deleteResponses['400'].description).toBe('A parameter is missing or invalid (REQUEST_VALIDATION_FAILED, `errors` names each), or the body is not JSON (REQUEST_MALFORMED_BODY)');
    const runResponses = document.paths['/v1/runs'].post.responses;
    expect(Object.keys(runResponses).sort()).toEqual(['200', '400', '413', '415', 'default']);
    expect(runResponses['400'].description).toBe('The body is not JSON (REQUEST_MALFORMED_BODY)');
    expect(runResponses['415'].description).toContain('REQUEST_UNSUPPORTED_MEDIA_TYPE');
  });

  it('leaves the body problems to a route that parses its body itself (it declares its own 415)', async () => {
    const app = await buildTestService();
    app.post('/v1/raw', { schema: { operationId: 'receiveRaw', security: [], problems: { 415: 'The body is not application/json (REQUEST_UNSUPPORTED_MEDIA_TYPE)' } } }, async () => ({}));
    const responses = (await app.inject({ method: 'GET', url: '/openapi.json' })).json().paths['/v1/raw'].post.responses;
    expect(Object.keys(responses).sort()).toEqual(['200', '415', 'default']);
    expect(responses['415'].description).toBe('The body is not application/json (REQUEST_UNSUPPORTED_MEDIA_TYPE)');
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
