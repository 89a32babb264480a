import { describe, expect, it } from 'vitest';
import { admin, backends, buildRegistry, manifest, tokenWith } from './helper.js';

describe.each(backends)('registering modules on $name', ({ postgres }) => {
  it('registers a module with defaults filled in, and reads it back', async () => {
    const { app } = await buildRegistry({ postgres });
    const created = await app.inject({ method: 'POST', url: '/v1/modules', headers: await admin(), payload: manifest() });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      moduleId: 'causal',
      version: '1.0.0',
      healthEndpoint: '/health',
      apiPrefix: '/',
      permissions: ['causal:read', 'causal:write'],
      enabled: true,
      status: 'unknown',
    });
    const read = await app.inject({ method: 'GET', url: '/v1/modules/causal', headers: await tokenWith(['registry:read']) });
    expect(read.json().name).toBe('Causal modelling');
  });

  it('refuses a tenant owner (no registry:admin) with 403', async () => {
    const { app } = await buildRegistry({ postgres });
    const owner = await tokenWith(['org:owner', 'org:admin', 'registry:read'], 'user-9', 'tenant-1');
    const response = await app.inject({ method: 'POST', url: '/v1/modules', headers: owner, payload: manifest() });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'registry:admin' });
    expect((await app.inject({ method: 'POST', url: '/v1/modules', payload: manifest() })).statusCode).toBe(401);
  });

  it('refuses invalid manifests, naming the field', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    const cases: [Record<string, unknown>, string][] = [
      [manifest({ moduleId: 'Causal Model' }), 'body.moduleId'],
      [manifest({ version: '1.0' }), 'body.version'],
      [manifest({ baseUrl: 'not a url' }), 'body.baseUrl'],
      [manifest({ colour: 'blue' }), 'body.colour'],
      [manifest({ permissions: ['memory:write'] }), 'body.permissions[0]'],
      [manifest({ permissions: ['causal:read'], routes: [{ method: 'POST', pathPrefix: '/v1', permission: 'causal:write' }] }), 'body.routes[0].permission'],
      [manifest({ roles: { viewer: ['causal:admin'] } }), 'body.roles.viewer[0]'],
      [manifest({ healthCheck: { type: 'ttl' } }), 'body.healthCheck.ttlSeconds'],
    ];
    for (const [payload, field] of cases) {
      const response = await app.inject({ method: 'POST', url: '/v1/modules', headers, payload });
      expect(response.statusCode, field).toBe(400);
      const body = response.json();
      expect(body.field ?? body.errors?.map((error: { field: string }) => error.field).join(' '), field).toContain(field);
    }
  });

  it('refuses a second module with the same id with 409', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest() });
    const again = await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest() });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REGISTRY_MODULE_EXISTS', field: 'body.moduleId' });
  });

  it('updates with version history, refuses downgrades, enables, disables and deregisters', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest() });
    const updated = await app.inject({ method: 'PUT', url: '/v1/modules/causal', headers, payload: manifest({ version: '1.1.0', name: 'Causal modelling v1.1' }) });
    expect(updated.json()).toMatchObject({ version: '1.1.0', name: 'Causal modelling v1.1' });
    const downgrade = await app.inject({ method: 'PUT', url: '/v1/modules/causal', headers, payload: manifest({ version: '1.0.5' }) });
    expect(downgrade.statusCode).toBe(409);
    expect(downgrade.json().code).toBe('REGISTRY_VERSION_NOT_NEWER');
    const mismatch = await app.inject({ method: 'PUT', url: '/v1/modules/causal', headers, payload: manifest({ moduleId: 'other', version: '2.0.0' }) });
    expect(mismatch.statusCode).toBe(400);
    const versions = (await app.inject({ method: 'GET', url: '/v1/modules/causal/versions', headers })).json();
    expect(versions.items.map((entry: { version: string }) => entry.version).sort()).toEqual(['1.0.0', '1.1.0']);

    expect((await app.inject({ method: 'POST', url: '/v1/modules/causal/disable', headers })).json().enabled).toBe(false);
    expect((await app.inject({ method: 'POST', url: '/v1/modules/causal/enable', headers })).json().enabled).toBe(true);
    expect((await app.inject({ method: 'DELETE', url: '/v1/modules/causal', headers })).statusCode).toBe(204);
    const gone = await app.inject({ method: 'GET', url: '/v1/modules/causal', headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('REGISTRY_MODULE_NOT_FOUND');
  });

  it('lists with filters and pages', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    for (const [moduleId, category, tag] of [['alpha', 'analytics', 'a'], ['beta', 'llm', 'b'], ['gamma', 'analytics', 'b']]) {
      await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ moduleId, metadata: { category, tags: [tag] } }) });
    }
    await app.inject({ method: 'POST', url: '/v1/modules/beta/disable', headers });
    const ids = async (query: string) => (await app.inject({ method: 'GET', url: `/v1/modules${query}`, headers })).json().items.map((item: { moduleId: string }) => item.moduleId);
    expect(await ids('')).toEqual(['alpha', 'beta', 'gamma']);
    expect(await ids('?category=analytics')).toEqual(['alpha', 'gamma']);
    expect(await ids('?tag=b')).toEqual(['beta', 'gamma']);
    expect(await ids('?enabled=false')).toEqual(['beta']);
    expect(await ids('?feature=dag&status=unknown')).toEqual(['alpha', 'beta', 'gamma']);
    const first = (await app.inject({ method: 'GET', url: '/v1/modules?limit=2', headers })).json();
    expect(first.nextCursor).toBe('beta');
    expect(await ids(`?limit=2&cursor=${first.nextCursor}`)).toEqual(['gamma']);
    expect((await app.inject({ method: 'GET', url: '/v1/modules?status=sleepy', headers })).statusCode).toBe(400);
  });
});
