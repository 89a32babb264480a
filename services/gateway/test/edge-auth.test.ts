import { describe, expect, it } from 'vitest';
import { authDocument, buildGateway, serviceDocument, signedIn, startUpstream } from './helper.js';

describe('authentication at the edge', () => {
  it('refuses protected routes without a valid token, before calling the service', async () => {
    const memory = await startUpstream(undefined, { openApi: serviceDocument([], ['GET /v1/memories']) });
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url });
    const missing = await gateway.inject({ method: 'GET', url: '/memory/v1/memories' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().code).toBe('AUTH_TOKEN_MISSING');
    const forged = await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers: { authorization: 'Bearer a.b.c' } });
    expect(forged.statusCode).toBe(401);
    expect(memory.received).toHaveLength(0);
  });

  it('lets the sign-in routes and every service\'s probes and docs through without a token', async () => {
    const auth = await startUpstream(undefined, { openApi: authDocument });
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url });
    for (const [method, url] of [['POST', '/auth/v1/login'], ['POST', '/auth/v1/register'], ['POST', '/auth/v1/token/refresh'], ['GET', '/auth/.well-known/jwks.json'], ['GET', '/auth/health'], ['GET', '/auth/openapi.json']] as const) {
      expect((await gateway.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) })).statusCode, `${method} ${url}`).toBe(200);
    }
    expect((await gateway.inject({ method: 'GET', url: '/auth/v1/me' })).statusCode).toBe(401);
  });

  it('exchanges an X-API-Key for a token once, forwards the token and never the key', async () => {
    const token = await signedIn(['memory:read']);
    const exchanges: string[] = [];
    const auth = await startUpstream((request, respond) => {
      exchanges.push(request.body);
      respond(200, JSON.stringify({ accessToken: token.authorization.slice('Bearer '.length), tokenType: 'Bearer', expiresIn: 300 }));
    });
    const memory = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, MEMORY_SERVICE_URL: memory.url });
    for (let index = 0; index < 3; index += 1) {
      expect((await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers: { 'x-api-key': 'lift_sk_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' } })).statusCode).toBe(200);
    }
    expect(exchanges).toEqual([JSON.stringify({ apiKey: 'lift_sk_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' })]);
    expect(memory.received[0]?.headers.authorization).toBe(token.authorization);
    expect(memory.received[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('refuses an API key that auth refuses', async () => {
    const auth = await startUpstream((_request, respond) => respond(401, '{"code":"AUTH_API_KEY_INVALID"}'));
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url });
    const response = await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers: { 'x-api-key': 'lift_sk_rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('AUTH_API_KEY_INVALID');
  });
});
