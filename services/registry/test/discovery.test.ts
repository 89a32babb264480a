import { describe, expect, it } from 'vitest';
import { admin, backends, buildRegistry, manifest, tokenWith, waitingPolls } from './helper.js';

describe.each(backends)('discovery on $name', ({ postgres }) => {
  it('serves the route table to the gateway with each module\'s rules', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ permissions: ['causal:read', 'causal:run'], routes: [{ method: 'POST', pathPrefix: '/v1/runs', permission: 'causal:run' }], roles: { viewer: ['causal:read'] }, memoryRequirements: { read: true } }) });
    const gateway = await tokenWith(['registry:routes'], 'svc:gateway');
    const table = (await app.inject({ method: 'GET', url: '/v1/route-table', headers: gateway })).json();
    expect(table.revision).toBeGreaterThan(0);
    expect(table.modules).toEqual([{ moduleId: 'causal', baseUrl: 'http://127.0.0.1:9999', replicaBaseUrls: [], apiPrefix: '/', enabled: true, status: 'unknown', routes: [{ method: 'POST', pathPrefix: '/v1/runs', permission: 'causal:run' }], roles: { owner: [], admin: [], member: [], viewer: ['causal:read'] }, memoryRequirements: { read: true, write: false, searchTypes: [], memoryTypes: [] } }]);
    expect((await app.inject({ method: 'GET', url: '/v1/route-table', headers })).statusCode).toBe(403);
  });

  it('answers a long poll as soon as a module changes, and after the wait when nothing does', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    const gateway = await tokenWith(['registry:routes'], 'svc:gateway');
    const start = (await app.inject({ method: 'GET', url: '/v1/route-table', headers: gateway })).json();

    const quiet = await app.inject({ method: 'GET', url: `/v1/route-table?after=${start.revision}&waitMs=50`, headers: gateway });
    expect(quiet.json().revision).toBe(start.revision);

    const waiting = app.inject({ method: 'GET', url: `/v1/route-table?after=${start.revision}&waitMs=10000`, headers: gateway });
    const started = performance.now();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest() });
    const changed = (await waiting).json();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(changed.revision).toBeGreaterThan(start.revision);
    expect(changed.modules.map((module: { moduleId: string }) => module.moduleId)).toEqual(['causal']);
  });

  it('answers a waiting long poll when it starts closing, so its shutdown is not held for the whole wait', async () => {
    const { app } = await buildRegistry({ postgres });
    const gateway = await tokenWith(['registry:routes'], 'svc:gateway');
    const start = (await app.inject({ method: 'GET', url: '/v1/route-table', headers: gateway })).json();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const polling = fetch(`${address}/v1/route-table?after=${start.revision}&waitMs=60000`, { headers: gateway });
    // Not the open connection: it exists while the poll is still in its permission check.
    await expect.poll(() => waitingPolls(app)).toBe(1);
    const closing = performance.now();
    await app.close();
    expect(performance.now() - closing).toBeLessThan(5_000);
    const answer = await polling;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { revision: number }).revision).toBe(start.revision);
  });

  // Regression: a close landing while the poll was in its async permission check found nothing to
  // abort, and the poll then waited its whole 60 s, holding the shutdown.
  it('answers at once a long poll whose handler starts after the close began', async () => {
    const { app } = await buildRegistry({ postgres });
    const gateway = await tokenWith(['registry:routes'], 'svc:gateway');
    // Holds the poll before its route's permission check until the close has begun.
    let held!: () => void;
    const reachedHold = new Promise<void>((resolve) => (held = resolve));
    let releaseHold!: () => void;
    const hold = new Promise<void>((resolve) => (releaseHold = resolve));
    app.addHook('preHandler', async (request) => {
      if (request.headers['x-test-hold'] === undefined) return;
      held();
      await hold;
    });
    app.addHook('preClose', (done) => {
      releaseHold();
      done();
    });
    const start = (await app.inject({ method: 'GET', url: '/v1/route-table', headers: gateway })).json();
    const polling = app.inject({ method: 'GET', url: `/v1/route-table?after=${start.revision}&waitMs=60000`, headers: { ...gateway, 'x-test-hold': '1' } });
    await reachedHold;
    const closing = performance.now();
    await app.close();
    const answer = await polling;
    expect(performance.now() - closing).toBeLessThan(5_000);
    expect(answer.statusCode).toBe(200);
    expect(answer.json().revision).toBe(start.revision);
  });

  it('lists enabled modules for Prometheus HTTP service discovery', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: 'http://127.0.0.1:9999/causal' }) });
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ moduleId: 'paused' }) });
    await app.inject({ method: 'POST', url: '/v1/modules/paused/disable', headers });
    const targets = (await app.inject({ method: 'GET', url: '/v1/prometheus/targets', headers })).json();
    expect(targets).toEqual([
      { targets: ['127.0.0.1:9999'], labels: { job: 'lift-module-causal', module: 'causal', version: '1.0.0', __scheme__: 'http', __metrics_path__: '/causal/metrics' } },
    ]);
  });
});
