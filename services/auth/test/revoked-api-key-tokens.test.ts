import { describe, expect, it } from 'vitest';
import { backends, bearer, buildAuth, registerUser } from './helper.js';

describe.each(backends)('a revoked API key\'s tokens at auth itself on $name', ({ postgres }) => {
  it('are refused by auth\'s routes and reported inactive by /v1/verify, although their signature is good', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'ada@example.com');
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'ci', permissions: ['org:read'] } })).json();
    const token = (await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } })).json().accessToken as string;
    const members = () => app.inject({ method: 'GET', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer({ accessToken: token }) });
    expect((await members()).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/v1/verify', payload: { token } })).json()).toMatchObject({ active: true, sub: `apikey:${key.id}`, client_id: `apikey:${key.id}` });

    expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: bearer(owner) })).statusCode).toBe(204);
    const refused = await members();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toMatch(/revoked/);
    expect((await app.inject({ method: 'POST', url: '/v1/verify', payload: { token } })).json()).toEqual({ active: false });
  });
});
