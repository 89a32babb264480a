import { describe, expect, it } from 'vitest';
import { backends, buildMonitoring, platformAdmin, startPlatformStandIns, tenantAdmin } from './helper.js';

describe.each(backends)('service probes on $name', (backend) => {
  it('tells up, not ready, refusing and too slow apart, and keeps the history', async () => {
    const { services, env } = await startPlatformStandIns();
    services.memory.ready = 503;
    services.registry.health = 'hang';
    await services.billing.stand.close();
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env });
    const headers = await platformAdmin();

    expect((await app.runMonitoringRound()).led).toBe(true);
    clock.advance(10_000);
    services.memory.ready = 200;
    await app.runMonitoringRound();

    const answer = await app.inject({ method: 'GET', url: '/v1/health/services', headers });
    expect(answer.statusCode).toBe(200);
    const byName = new Map((answer.json() as { items: { name: string; state: string; detail: string | null; windows: Record<string, { checks: number; uptimePercent: number | null; p50Ms: number | null }> }[] }).items.map((item) => [item.name, item]));
    expect([...byName.keys()]).toEqual(['gateway', 'auth', 'billing', 'memory', 'observability', 'registry']);
    expect(byName.get('gateway')).toMatchObject({ state: 'up', detail: null, windows: { '1h': { checks: 2, uptimePercent: 100 }, '7d': { checks: 2, uptimePercent: 100 } } });
    expect(byName.get('gateway')?.windows['1h']?.p50Ms).toEqual(expect.any(Number));
    expect(byName.get('memory')).toMatchObject({ state: 'up', windows: { '1h': { checks: 2, uptimePercent: 50 }, '24h': { checks: 2, uptimePercent: 50 } } });
    expect(byName.get('billing')).toMatchObject({ state: 'down', windows: { '1h': { checks: 2, uptimePercent: 0, p50Ms: null } } });
    expect(byName.get('billing')?.detail).toMatch(/\/health unreachable \(ECONNREFUSED\)/);
    expect(byName.get('registry')).toMatchObject({ state: 'down', detail: '/health did not answer within 400 ms' });

    const detail = await app.inject({ method: 'GET', url: '/v1/health/services/memory', headers });
    expect(detail.statusCode).toBe(200);
    expect((detail.json() as { recent: { state: string; detail: string | null }[] }).recent).toMatchObject([
      { state: 'up', detail: null },
      { state: 'degraded', detail: '/ready answered 503' },
    ]);
    expect((await app.inject({ method: 'GET', url: '/v1/health/services/nosuch', headers })).json()).toMatchObject({ status: 404, code: 'OBSERVABILITY_TARGET_NOT_FOUND' });
  });

  it('answers the public status with names and states only, without a token', async () => {
    const { services, env } = await startPlatformStandIns();
    services.auth.ready = 503;
    const { app } = await buildMonitoring({ postgres: backend.postgres, env });
    expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({ state: 'unknown' });
    await app.runMonitoringRound();
    const status = await app.inject({ method: 'GET', url: '/v1/status' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({
      state: 'degraded',
      services: [
        { name: 'gateway', state: 'up' },
        { name: 'auth', state: 'degraded' },
        { name: 'billing', state: 'up' },
        { name: 'memory', state: 'up' },
        { name: 'observability', state: 'up' },
        { name: 'registry', state: 'up' },
      ],
      modules: [],
    });
  });

  it('shows platform data to the platform only: a tenant\'s admin and no token are refused', async () => {
    const { env } = await startPlatformStandIns();
    const { app } = await buildMonitoring({ postgres: backend.postgres, env });
    const tenant = await tenantAdmin('org-a');
    for (const url of ['/v1/health/services', '/v1/health/services/gateway', '/v1/overview', '/v1/alerts', '/v1/alert-rules']) {
      expect((await app.inject({ method: 'GET', url, headers: tenant })).statusCode, url).toBe(403);
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    expect((await app.inject({ method: 'POST', url: '/v1/alert-rules', headers: tenant, payload: { name: 'x', kind: 'service_down' } })).statusCode).toBe(403);
  });
});
