import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createHttpClient, serviceTokenSource } from '@lift/kit';
import { buildAuth, manualClock } from './helper.js';

const secrets = 'gateway:gateway-secret-0123456789,billing:billing-secret-0123456789';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('service tokens (OAuth 2.0 client credentials)', () => {
  it('are issued to a platform service for its secret, with that service\'s permissions', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ grant_type: 'client_credentials', client_id: 'gateway', client_secret: 'gateway-secret-0123456789' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(decodeJwt(response.json().access_token)).toMatchObject({ sub: 'svc:gateway', org: 'platform', roles: ['service'], perms: ['registry:routes', 'billing:usage'] });
  });

  it('refuse a wrong secret, an unknown service and another grant in RFC 6749\'s format', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const ask = (fields: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });
    const wrong = await ask({ grant_type: 'client_credentials', client_id: 'gateway', client_secret: 'billing-secret-0123456789' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'invalid_client', error_description: 'Unknown service or wrong secret.' });
    expect((await ask({ grant_type: 'client_credentials', client_id: 'intruder', client_secret: 'gateway-secret-0123456789' })).statusCode).toBe(401);
    const password = await ask({ grant_type: 'password', client_id: 'gateway', client_secret: 'gateway-secret-0123456789' });
    expect(password.statusCode).toBe(400);
    expect(password.json().error).toBe('unsupported_grant_type');
  });

  it('are fetched by the kit\'s token source with HTTP Basic, and reused until shortly before they expire', async () => {
    const clock = manualClock(Date.now());
    const { app } = await buildAuth({ clock, env: { SERVICE_CLIENT_SECRETS: secrets } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const http = createHttpClient({ service: 'billing', version: 'test' });
    const source = serviceTokenSource({ http, authUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, clientId: 'billing', clientSecret: 'billing-secret-0123456789', clock });
    const first = await source.token();
    expect(decodeJwt(first).sub).toBe('svc:billing');
    expect(await source.token()).toBe(first);
    clock.advance(271_000);
    expect(await source.token()).not.toBe(first);
    await http.close();
  });
});
