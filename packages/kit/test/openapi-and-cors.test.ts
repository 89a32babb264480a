import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { buildTestService } from './helper.js';

describe('/openapi.json and /docs', () => {
  it('documents the routes from their schemas', async () => {
    const app = await buildTestService();
    app.post('/v1/notes', { schema: { summary: 'Create a note', body: Type.Object({ text: Type.String() }) } }, async () => ({}));
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Lift OS Core test-service API', version: '1.2.3' });
    expect(document.paths['/v1/notes'].post.summary).toBe('Create a note');
    expect(document.paths['/v1/notes'].post.requestBody.content['application/json'].schema.required).toEqual(['text']);
    expect(document.paths['/health']).toBeDefined();
  });

  it('serves Swagger UI at /docs', async () => {
    const app = await buildTestService();
    const response = await app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger-ui');
  });
});

describe('CORS from CORS_ORIGINS', () => {
  it('allows a listed origin and not another', async () => {
    const app = await buildTestService({ corsOrigins: 'https://app.lift.com, http://localhost:3000' });
    const allowed = await app.inject({ method: 'OPTIONS', url: '/health', headers: { origin: 'https://app.lift.com', 'access-control-request-method': 'GET' } });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.lift.com');
    const refused = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight with the methods, the asked-for headers and a max age, and marks answers as varying by origin', async () => {
    const app = await buildTestService({ corsOrigins: 'https://app.lift.com' });
    const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/anything', headers: { origin: 'https://app.lift.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, POST, DELETE',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    const simple = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://app.lift.com' } });
    expect(simple.headers['access-control-expose-headers']).toContain('x-request-id');
    expect(simple.headers['access-control-expose-headers']).toContain('ratelimit-remaining');
    const noOrigin = await app.inject({ method: 'GET', url: '/health' });
    expect(noOrigin.headers.vary).toBe('Origin');
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
    const refusedPreflight = await app.inject({ method: 'OPTIONS', url: '/health', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(refusedPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows any origin with *', async () => {
    const app = await buildTestService({ corsOrigins: '*' });
    const response = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'http://localhost:5173' } });
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });
});
