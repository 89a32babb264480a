import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../tests/support/manual-clock.js';
import { admin, backends, buildRegistry, manifest, startModuleServer, tokenWith } from './helper.js';

describe.each(backends)('module health on $name', ({ postgres }) => {
  it('goes healthy on the first good check, unhealthy after three failures, healthy after two successes', async () => {
    const clock = manualClock();
    const { app } = await buildRegistry({ postgres, clock });
    // Each round a second later, so the newest-first history has an order on every database.
    const checkRound = async () => {
      clock.advance(1_000);
      await app.runHealthChecks();
    };
    const module = await startModuleServer();
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: module.url }) });
    const status = async () => (await app.inject({ method: 'GET', url: '/v1/modules/causal/health', headers })).json();

    await checkRound();
    expect((await status()).status).toBe('healthy');
    module.setHealth(500);
    await checkRound();
    await checkRound();
    expect((await status()).status).toBe('healthy');
    await checkRound();
    const down = await status();
    expect(down).toMatchObject({ status: 'unhealthy', lastError: 'health endpoint answered 500', checkType: 'http' });
    expect(down.recent.slice(0, 3).every((result: { ok: boolean }) => !result.ok)).toBe(true);

    module.setHealth(200);
    await checkRound();
    expect((await status()).status).toBe('unhealthy');
    await checkRound();
    expect((await status()).status).toBe('healthy');
    expect(module.requests.filter((request) => request === 'GET /health')).toHaveLength(6);
  });

  it('never follows a redirect, and reports a module that stops answering without deleting it', async () => {
    const { app } = await buildRegistry({ postgres, env: { HEALTH_UNHEALTHY_THRESHOLD: '1' } });
    const module = await startModuleServer();
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: module.url }) });
    module.setHealth(302);
    await app.runHealthChecks();
    const redirected = (await app.inject({ method: 'GET', url: '/v1/modules/causal/health', headers })).json();
    expect(redirected).toMatchObject({ status: 'unhealthy', lastError: 'health endpoint answered 302' });
    expect(module.requests).toEqual(['GET /health']);

    await module.close();
    await app.runHealthChecks();
    const stopped = (await app.inject({ method: 'GET', url: '/v1/modules/causal/health', headers })).json();
    expect(stopped.lastError).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect((await app.inject({ method: 'GET', url: '/v1/modules/causal', headers })).statusCode).toBe(200);
    const summary = (await app.inject({ method: 'GET', url: '/v1/health-summary', headers })).json();
    expect(summary).toMatchObject({ total: 1, unhealthy: 1, healthy: 0, modules: [{ moduleId: 'causal', status: 'unhealthy' }] });
  });

  it('keeps ttl modules alive by heartbeats and marks them down when they stop', async () => {
    const clock = manualClock();
    const { app } = await buildRegistry({ postgres, clock, env: { HEALTH_UNHEALTHY_THRESHOLD: '1' } });
    const headers = await admin(clock.now());
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: 'http://127.0.0.1:9999', healthCheck: { type: 'ttl', ttlSeconds: 30 } }) });
    const beat = await app.inject({ method: 'PUT', url: '/v1/modules/causal/heartbeat', headers: await tokenWith(['registry:heartbeat'], 'svc:causal', 'platform', clock.now()) });
    expect(beat.json()).toEqual({ status: 'healthy', nextHeartbeatBefore: '2026-11-28T09:00:30.000Z' });
    clock.advance(20_000);
    await app.runHealthChecks();
    expect((await app.inject({ method: 'GET', url: '/v1/modules/causal/health', headers })).json().status).toBe('healthy');
    clock.advance(20_000);
    await app.runHealthChecks();
    const missed = (await app.inject({ method: 'GET', url: '/v1/modules/causal/health', headers })).json();
    expect(missed).toMatchObject({ status: 'unhealthy', checkType: 'ttl', lastError: 'no heartbeat for more than 30 s' });
    expect((await app.inject({ method: 'PUT', url: '/v1/modules/causal/heartbeat', headers: await tokenWith(['registry:read'], 'user-1', 'platform', clock.now()) })).statusCode).toBe(403);
  });

  it('checks a newly registered module at once, not at the next round', async () => {
    const { app } = await buildRegistry({ postgres, healthChecksOnTimer: true, env: { HEALTH_CHECK_INTERVAL_MS: '600000' } });
    const module = await startModuleServer();
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: module.url }) });
    await expect.poll(async () => (await app.inject({ method: 'GET', url: '/v1/modules/causal/health', headers })).json().status, { timeout: 3_000 }).toBe('healthy');
  });

  it('refuses heartbeats from a module checked over HTTP', async () => {
    const { app } = await buildRegistry({ postgres });
    const headers = await admin();
    await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest() });
    const response = await app.inject({ method: 'PUT', url: '/v1/modules/causal/heartbeat', headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('REGISTRY_HEARTBEAT_NOT_EXPECTED');
  });
});
