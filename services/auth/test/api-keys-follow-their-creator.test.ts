import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { startFakeRegistry } from './fake-registry.js';
import { backends, bearer, buildAuth, loginUser, registerUser } from './helper.js';

// Regression (issue #10, item 5): a key kept the permissions it was created with after its creator
// was demoted or removed, so a removed admin's key still worked.
describe.each(backends)('API keys and their creator\'s current role on $name', ({ postgres }) => {
  it('carry at most what the creator may do now, and stop working when the creator leaves', async () => {
    const registry = await startFakeRegistry([{ moduleId: 'template', roles: { owner: ['template:write'], admin: ['template:write'], member: ['template:write'], viewer: [] } }]);
    const { app } = await buildAuth({ postgres, env: { REGISTRY_SERVICE_URL: registry.url } });
    const owner = await registerUser(app, 'owner@example.com');
    await registerUser(app, 'admin@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'admin@example.com', role: 'admin' } });
    const admin = await loginUser(app, 'admin@example.com', undefined, owner.organisationId);
    const permissions = ['billing:manage', 'memory:read', 'memory:write', 'org:admin', 'template:write'];
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(admin), payload: { name: 'admin\'s key', permissions } })).json();
    const exchange = () => app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } });

    expect(decodeJwt((await exchange()).json().accessToken).perms).toEqual(permissions);

    const demoted = await app.inject({ method: 'PATCH', url: `/v1/organisations/${owner.organisationId}/members/${admin.userId}`, headers: bearer(owner), payload: { role: 'viewer' } });
    expect(demoted.statusCode).toBe(200);
    const asViewer = await exchange();
    expect(asViewer.statusCode).toBe(200);
    expect(decodeJwt(asViewer.json().accessToken).perms).toEqual(['memory:read']);

    await app.inject({ method: 'PATCH', url: `/v1/organisations/${owner.organisationId}/members/${admin.userId}`, headers: bearer(owner), payload: { role: 'member' } });
    expect(decodeJwt((await exchange()).json().accessToken).perms).toEqual(['memory:read', 'memory:write', 'template:write']);

    const removed = await app.inject({ method: 'DELETE', url: `/v1/organisations/${owner.organisationId}/members/${admin.userId}`, headers: bearer(owner) });
    expect(removed.statusCode).toBe(204);
    const refused = await exchange();
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'AUTH_API_KEY_INVALID', detail: 'The API key is invalid, expired or revoked.' });
    // Revoked with the membership, for good: adding the person back brings no key back.
    await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'admin@example.com', role: 'admin' } });
    expect((await exchange()).statusCode).toBe(401);
    const listed = (await app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(owner) })).json().items as { revokedAt: string | null }[];
    expect(listed.every((key) => key.revokedAt !== null)).toBe(true);
  });
});
