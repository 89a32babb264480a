import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { startFakeRegistry } from './fake-registry.js';
import { bearer, buildAuth, defaultPassword, manualClock, registerUser } from './helper.js';

const platformPermissions = ['org:owner', 'org:admin', 'registry:admin', 'platform:admin', 'billing:admin'];

// Regression (issue #10, item 1): a module registered as `org` or `registry`, or one granting
// another namespace's permissions, put the platform's own permissions in every tenant's tokens.
describe('module grants outside the module\'s own namespace', () => {
  it('never reach a token, and are logged as ignored', async () => {
    const registry = await startFakeRegistry([
      { moduleId: 'org', roles: { owner: ['org:owner'], admin: ['org:owner'], member: ['org:owner'], viewer: ['org:owner', 'org:admin'] } },
      { moduleId: 'registry', roles: { owner: ['registry:admin'], admin: [], member: [], viewer: ['registry:admin'] } },
      { moduleId: 'causal', roles: { owner: ['causal:read', 'platform:admin'], admin: [], member: [], viewer: ['causal:read', 'template:write', 'registry:admin', 'org:owner', 'billing:admin'] } },
      { moduleId: 'template', roles: { owner: ['template:read', 'template:write'], admin: [], member: [], viewer: ['template:read'] } },
    ]);
    const clock = manualClock();
    const { app, logs } = await buildAuth({ clock, captureLogs: true, env: { REGISTRY_SERVICE_URL: registry.url } });

    const owner = await registerUser(app, 'owner@example.com');
    const ownerPerms = decodeJwt(owner.accessToken).perms as string[];
    expect(ownerPerms).toEqual(expect.arrayContaining(['causal:read', 'template:read', 'template:write', 'org:owner']));
    expect(ownerPerms.filter((permission) => ['registry:admin', 'platform:admin', 'billing:admin'].includes(permission))).toEqual([]);

    await registerUser(app, 'viewer@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'viewer@example.com', role: 'viewer' } });
    const login = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'viewer@example.com', password: defaultPassword, organisationId: owner.organisationId } });
    const refreshed = await app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: login.json().refreshToken } });
    for (const token of [login.json().accessToken as string, refreshed.json().accessToken as string]) {
      const perms = decodeJwt(token).perms as string[];
      expect(perms).toEqual(expect.arrayContaining(['causal:read', 'template:read', 'org:read']));
      expect(perms.filter((permission) => platformPermissions.includes(permission) || permission === 'template:write')).toEqual([]);
    }

    const warning = logs.find((line) => line.level === 'warn' && Array.isArray(line.dropped));
    expect(warning?.dropped).toEqual(
      expect.arrayContaining([
        { moduleId: 'org', role: 'viewer', permission: 'org:owner', reason: 'reserved module id' },
        { moduleId: 'registry', role: 'viewer', permission: 'registry:admin', reason: 'reserved module id' },
        { moduleId: 'causal', role: 'viewer', permission: 'template:write', reason: 'outside the module\'s namespace' },
        { moduleId: 'causal', role: 'owner', permission: 'platform:admin', reason: 'outside the module\'s namespace' },
      ]),
    );
    // The table is read again every 10 s; the same refusal is repeated only every 10 minutes.
    const warnings = () => logs.filter((line) => Array.isArray(line.dropped)).length;
    clock.advance(11_000);
    await registerUser(app, 'third@example.com');
    expect(warnings()).toBe(1);
    clock.advance(10 * 60_000);
    await registerUser(app, 'fourth@example.com');
    expect(warnings()).toBe(2);
  });
});
