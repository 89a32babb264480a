import { describe, expect, it } from 'vitest';
import { warnAboutReservedModules } from '../src/reserved-modules.js';
import { registryStore } from '../src/store.js';
import { admin, backends, buildRegistry, manifest, tokenWith } from './helper.js';

// Issue #10 item 1: a module under a core name would own that namespace's permissions (org:owner).
describe.each(backends)('reserved module ids on $name', ({ postgres }) => {
  it('refuses to register a module under a core service, permission namespace or gateway path', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    for (const moduleId of ['org', 'registry', 'auth', 'platform', 'gateway', 'billing', 'memory', 'observability', 'modules', 'health', 'docs', 'console', 'svc']) {
      const response = await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ moduleId, permissions: [`${moduleId}:owner`, `${moduleId}:admin`], roles: { viewer: [`${moduleId}:owner`] } }) });
      expect(response.statusCode, moduleId).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json(), moduleId).toMatchObject({ code: 'REGISTRY_RESERVED_MODULE_ID', field: 'body.moduleId' });
    }
    const listed = await app.inject({ method: 'GET', url: '/v1/modules', headers });
    expect(listed.json().items).toEqual([]);
  });

  it('refuses an update that would keep a module under a reserved id', async () => {
    const { app, db } = await buildRegistry({ postgres });
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest() });
    await db.updateTable('modules').set({ module_id: 'org', manifest: JSON.stringify(manifest({ moduleId: 'org', permissions: ['org:owner'] })) }).execute();
    const update = await app.inject({ method: 'PUT', url: '/v1/modules/org', headers, payload: manifest({ moduleId: 'org', version: '2.0.0', permissions: ['org:owner'] }) });
    expect(update.statusCode).toBe(400);
    expect(update.json()).toMatchObject({ code: 'REGISTRY_RESERVED_MODULE_ID', field: 'body.moduleId' });
  });

  it('keeps a module stored under a reserved id out of the route table, and names it at start', async () => {
    const { app, db } = await buildRegistry({ postgres });
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest() });
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ moduleId: 'notes', permissions: [] }) });
    // As if registered before ids were checked: "org" granting org:owner to every viewer.
    await db
      .updateTable('modules')
      .set({ module_id: 'org', manifest: JSON.stringify(manifest({ moduleId: 'org', permissions: ['org:owner'], roles: { viewer: ['org:owner'] } })) })
      .where('module_id', '=', 'notes')
      .execute();

    const table = (await app.inject({ method: 'GET', url: '/v1/route-table', headers: await tokenWith(['registry:routes'], 'svc:gateway') })).json();
    expect(table.modules.map((module: { moduleId: string }) => module.moduleId)).toEqual(['causal']);
    // Still listed, so an admin can find and deregister it.
    expect((await app.inject({ method: 'GET', url: '/v1/modules/org', headers })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: '/v1/modules/org', headers })).statusCode).toBe(204);

    await db.updateTable('modules').set({ module_id: 'platform' }).where('module_id', '=', 'causal').execute();
    const warnings: string[] = [];
    await warnAboutReservedModules({ store: registryStore(db), log: { warn: (_bindings: unknown, message: string) => void warnings.push(message) } as never });
    expect(warnings).toEqual([expect.stringContaining('platform')]);
    expect(warnings[0]).toContain('DELETE /v1/modules/<id>');
  });
});
