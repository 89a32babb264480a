import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError } from '../src/index.js';
import { buildTestService } from './helper.js';

async function appWithWidgets(bodyLimitBytes?: number) {
  const app = await buildTestService(bodyLimitBytes === undefined ? {} : { bodyLimitBytes });
  app.post(
    '/v1/widgets',
    {
      schema: {
        body: Type.Object({ name: Type.String({ maxLength: 20 }), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      if (request.body.name === 'taken') throw new ConflictError('TEST_WIDGET_EXISTS', 'A widget with this name exists; choose another name.');
      if (request.body.name === 'odd') throw new InvalidInputError('TEST_WIDGET_ODD', 'Odd widgets are refused.', { field: 'body.name' });
      return { ok: true };
    },
  );
  app.get('/v1/boom', async () => {
    throw new Error('database password is hunter2');
  });
  return app;
}

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json: () => Record<string, unknown> }, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body).toMatchObject({ status, code, type: expect.stringContaining('urn:lift:problem:') });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toBe(response.headers['x-request-id']);
  return body;
}

describe('every failure is problem+json with the right status', () => {
  it('answers an unknown route with 404 naming it', async () => {
    const app = await appWithWidgets();
    const body = expectProblem(await app.inject({ method: 'GET', url: '/v1/nothing?x=1' }), 404, 'ROUTE_NOT_FOUND');
    expect(body.detail).toContain('GET /v1/nothing');
  });

  it('answers malformed JSON with 400', async () => {
    const app = await appWithWidgets();
    const response = await app.inject({ method: 'POST', url: '/v1/widgets', headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    expectProblem(response, 400, 'REQUEST_MALFORMED_BODY');
  });

  it('names the missing field', async () => {
    const app = await appWithWidgets();
    const body = expectProblem(await app.inject({ method: 'POST', url: '/v1/widgets', payload: { name: 'a' } }), 400, 'REQUEST_VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'body.count', message: 'is required' }]);
    expect(body.detail).toContain('body.count');
  });

  it('refuses unknown fields instead of dropping them', async () => {
    const app = await appWithWidgets();
    const body = expectProblem(await app.inject({ method: 'POST', url: '/v1/widgets', payload: { name: 'a', count: 1, colour: 'red' } }), 400, 'REQUEST_VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'body.colour', message: 'is not a known field' }]);
  });

  it('refuses a string where a number belongs instead of coercing it', async () => {
    const app = await appWithWidgets();
    const body = expectProblem(await app.inject({ method: 'POST', url: '/v1/widgets', payload: { name: 'a', count: '3' } }), 400, 'REQUEST_VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'body.count', message: 'must be integer' }]);
  });

  it('refuses a huge string naming the field', async () => {
    const app = await appWithWidgets();
    const body = expectProblem(await app.inject({ method: 'POST', url: '/v1/widgets', payload: { name: 'x'.repeat(5000), count: 1 } }), 400, 'REQUEST_VALIDATION_FAILED');
    expect(body.detail).toContain('body.name');
  });

  it('answers a body over the limit with 413', async () => {
    const app = await appWithWidgets(1024);
    const body = expectProblem(await app.inject({ method: 'POST', url: '/v1/widgets', payload: { name: 'a', count: 1, pad: 'x'.repeat(2000) } }), 413, 'REQUEST_BODY_TOO_LARGE');
    expect(body.detail).toContain('1024 bytes');
  });

  it('answers an unsupported content type with 415', async () => {
    const app = await appWithWidgets();
    const response = await app.inject({ method: 'POST', url: '/v1/widgets', headers: { 'content-type': 'application/xml' }, payload: '<widget/>' });
    expectProblem(response, 415, 'REQUEST_UNSUPPORTED_MEDIA_TYPE');
    // text/plain too: Fastify parses it by default, which turned a wrong body type into a 400.
    const text = await app.inject({ method: 'POST', url: '/v1/widgets', headers: { 'content-type': 'text/plain' }, payload: '{"name":"a","count":1}' });
    expectProblem(text, 415, 'REQUEST_UNSUPPORTED_MEDIA_TYPE');
  });

  it('turns semantic errors into their status and code', async () => {
    const app = await appWithWidgets();
    expectProblem(await app.inject({ method: 'POST', url: '/v1/widgets', payload: { name: 'taken', count: 1 } }), 409, 'TEST_WIDGET_EXISTS');
    const body = expectProblem(await app.inject({ method: 'POST', url: '/v1/widgets', payload: { name: 'odd', count: 1 } }), 400, 'TEST_WIDGET_ODD');
    expect(body.field).toBe('body.name');
  });

  it('answers an unexpected failure with 500 that reveals nothing', async () => {
    const app = await appWithWidgets();
    const response = await app.inject({ method: 'GET', url: '/v1/boom' });
    const body = expectProblem(response, 500, 'INTERNAL_ERROR');
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
    expect(body.detail).toContain('request id');
  });

  it('accepts a valid body', async () => {
    const app = await appWithWidgets();
    const response = await app.inject({ method: 'POST', url: '/v1/widgets', payload: { name: 'a', count: 2 } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });
});
