import type { RouteTableModule } from '@lift/sdk';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { startFakeRegistry } from './fake-registry.js';
import { bearer, buildAuth, manualClock, registerUser } from './helper.js';

const startRegistry = (roles: RouteTableModule['roles']) => startFakeRegistry([{ moduleId: 'template', roles }]);

describe('module permissions in tokens', () => {
  it('reach each tenant role as the module\'s manifest grants them', async () => {
    const registry = await startRegistry({ owner: ['template:read', 'template:write'], admin: ['template:read', 'template:write'], member: ['template:read', 'template:write'], viewer: ['template:read'] });
    const clock = manualClock();
    const { app } = await buildAuth({ clock, env: { REGISTRY_SERVICE_URL: registry.url } });
    const owner = await registerUser(app, 'owner@example.com');
    expect(decodeJwt(owner.accessToken).perms).toEqual(expect.arrayContaining(['template:read', 'template:write', 'org:owner']));

    await registerUser(app, 'viewer@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'viewer@example.com', role: 'viewer' } });
    const viewer = (await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'viewer@example.com', password: 'a long enough passphrase', organisationId: owner.organisationId } })).json();
    const perms = decodeJwt(viewer.accessToken).perms as string[];
    expect(perms).toContain('template:read');
    expect(perms).not.toContain('template:write');

    // Auth asked with a service token it signed itself.
    expect(decodeJwt(registry.seen[0]?.replace('Bearer ', '') ?? '')).toMatchObject({ sub: 'svc:auth', perms: ['registry:routes'] });
  });

  it('keep the last known grants while the registry is down, and log in regardless', async () => {
    const registry = await startRegistry({ owner: ['template:read'], admin: [], member: [], viewer: [] });
    const clock = manualClock();
    const { app } = await buildAuth({ clock, env: { REGISTRY_SERVICE_URL: registry.url } });
    await registerUser(app, 'owner@example.com');
    registry.stop();
    clock.advance(60_000);
    const again = await registerUser(app, 'second@example.com');
    expect(decodeJwt(again.accessToken).perms).toContain('template:read');
    const unreachable = await buildAuth({ env: { REGISTRY_SERVICE_URL: 'http://127.0.0.1:1' } });
    expect((await unreachable.app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'x@example.com', password: 'a long enough passphrase' } })).statusCode).toBe(201);
  });
});
