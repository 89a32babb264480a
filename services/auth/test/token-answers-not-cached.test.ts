import { describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, buildAuth, defaultPassword, registerUser } from './helper.js';

const secrets = 'gateway:gateway-secret-0123456789';

function expectNotStored(response: LightMyRequestResponse, route: string): void {
  expect({ route, cacheControl: response.headers['cache-control'], pragma: response.headers.pragma }).toEqual({ route, cacheControl: 'no-store', pragma: 'no-cache' });
}

// Regression (issue #10, item 18): answers carrying tokens or secrets had no Cache-Control, so a
// shared cache could keep and replay them.
describe('answers carrying tokens or secrets', () => {
  it('are never stored by a cache, whatever the route and status', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const registered = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'ada@example.com', password: defaultPassword } });
    expect(registered.statusCode).toBe(201);
    expectNotStored(registered, 'register');
    const session = registered.json();

    const login = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.com', password: defaultPassword } });
    expect(login.statusCode).toBe(200);
    expectNotStored(login, 'login');
    const wrong = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.com', password: 'not the passphrase' } });
    expect(wrong.statusCode).toBe(401);
    expectNotStored(wrong, 'failed login');

    const refreshed = await app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: session.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    expectNotStored(refreshed, 'refresh');

    const other = await registerUser(app, 'bob@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${other.organisationId}/members`, headers: bearer(other), payload: { email: 'ada@example.com', role: 'member' } });
    const switched = await app.inject({ method: 'POST', url: '/v1/token/switch', headers: bearer(session), payload: { organisationId: other.organisationId } });
    expect(switched.statusCode).toBe(200);
    expectNotStored(switched, 'organisation switch');

    const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(session), payload: { name: 'ci', permissions: ['memory:read'] } });
    expect(created.statusCode).toBe(201);
    expectNotStored(created, 'API key creation');
    const exchanged = await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: created.json().key } });
    expect(exchanged.statusCode).toBe(200);
    expectNotStored(exchanged, 'API key exchange');

    const serviceToken = await app.inject({
      method: 'POST',
      url: '/v1/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'gateway', client_secret: 'gateway-secret-0123456789' }).toString(),
    });
    expect(serviceToken.statusCode).toBe(200);
    expectNotStored(serviceToken, 'service token');

    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session) });
    expectNotStored(me, 'me');
  });

  it('leave the public key set cacheable, as verifiers rely on', async () => {
    const { app } = await buildAuth();
    const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(jwks.headers['cache-control']).toBe('public, max-age=60');
    expect(jwks.headers.pragma).toBeUndefined();
  });
});
