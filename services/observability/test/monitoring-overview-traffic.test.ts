import { describe, expect, it } from 'vitest';
import { requestSeriesFromExposition } from '../src/metrics/request-series.js';
import { backends, buildMonitoring, platformAdmin, serviceExposition, startPlatformStandIns } from './helper.js';

interface Overview {
  state: string;
  windowSeconds: number;
  traffic: { requestsPerSecond: number; errorRatePercent: number | null; p95Ms: number | null };
  services: { name: string; state: string; requestsPerSecond: number; errorRatePercent: number | null; p95Ms: number | null }[];
  openAlerts: { total: number; warning: number; items: { ruleName: string; target: string }[] };
}

describe('reading the services\' metrics', () => {
  it('reads the exposition the kit\'s metrics plugin really writes, leaving out the monitor\'s own probes', async () => {
    const { app } = await buildMonitoring();
    for (let request = 0; request < 3; request += 1) await app.inject({ method: 'GET', url: '/v1/status' });
    await app.inject({ method: 'GET', url: '/v1/overview' });
    await app.inject({ method: 'GET', url: '/health' });
    const exposition = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const { series } = requestSeriesFromExposition(exposition, { service: 'observability', carriesPushed: true }, 1_000);
    const requests = series.filter((entry) => entry.le === '');
    expect(requests.reduce((sum, entry) => sum + entry.value, 0)).toBe(4);
    expect(requests.map((entry) => [entry.service, entry.route, entry.status]).sort()).toEqual([
      ['observability', '/v1/overview', '401'],
      ['observability', '/v1/status', '200'],
    ]);
    const buckets = series.filter((entry) => entry.le !== '' && entry.route === '/v1/status');
    expect(buckets.find((entry) => entry.le === '+Inf')?.value).toBe(3);
    expect(buckets.length).toBeGreaterThan(5);
  });
});

describe.each(backends)('overview traffic on $name', (backend) => {
  it('computes request rate, 5xx share and p95 from counter and histogram deltas, fires and resolves rules on them', async () => {
    const { services, env } = await startPlatformStandIns();
    // Every stand-in answers here: a probe timeout longer than the helper's 400 ms keeps a loaded machine (CI saw a round fire nothing) from counting a slow answer as a service down.
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env: { ...env, OVERVIEW_WINDOW_SECONDS: '60', SERVICE_CHECK_TIMEOUT_MS: '5000' } });
    const headers = await platformAdmin();
    await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'Gateway errors', kind: 'error_rate', target: 'gateway', thresholdPercent: 5, forSeconds: 10 } });
    await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'Gateway slow', kind: 'latency_p95', target: 'gateway', thresholdMs: 1_000, forSeconds: 10 } });
    const overview = async () => (await app.inject({ method: 'GET', url: '/v1/overview', headers })).json() as Overview;

    services.gateway.metrics = serviceExposition('gateway', [
      { route: '/v1/things', status: 200, count: 1_000, seconds: 0.02 },
      { route: '/health', status: 200, count: 50, seconds: 0.001 },
    ]);
    await app.runMonitoringRound();
    expect((await overview()).traffic).toEqual({ requestsPerSecond: 0, errorRatePercent: null, p95Ms: null });

    // 10 s later: 90 quick answers and 10 slow 503s (and the monitor's probes, which do not count).
    clock.advance(10_000);
    services.gateway.metrics = serviceExposition('gateway', [
      { route: '/v1/things', status: 200, count: 1_090, seconds: 0.02 },
      { route: '/v1/things', status: 503, count: 10, seconds: 2 },
      { route: '/health', status: 200, count: 53, seconds: 0.001 },
    ]);
    expect(await app.runMonitoringRound()).toMatchObject({ fired: 2 });
    const busy = await overview();
    // p95 of 100 answers: rank 95 lies in the (1 s, 2.5 s] bucket, half way through its ten: 1.75 s.
    expect(busy.services.find((service) => service.name === 'gateway')).toMatchObject({ state: 'up', requestsPerSecond: 10, errorRatePercent: 10, p95Ms: 1_750 });
    expect(busy.services.find((service) => service.name === 'auth')).toMatchObject({ requestsPerSecond: 0, errorRatePercent: null, p95Ms: null });
    expect(busy.traffic).toEqual({ requestsPerSecond: 10, errorRatePercent: 10, p95Ms: 1_750 });
    expect(busy).toMatchObject({ state: 'up', windowSeconds: 60, openAlerts: { total: 2, warning: 2 } });
    expect(busy.openAlerts.items.map((alert) => alert.ruleName).sort()).toEqual(['Gateway errors', 'Gateway slow']);

    // The gateway restarted: its counters start again at 0, and all it shows now is new (20 quick answers).
    clock.advance(10_000);
    services.gateway.metrics = serviceExposition('gateway', [{ route: '/v1/things', status: 200, count: 20, seconds: 0.02 }]);
    expect(await app.runMonitoringRound()).toMatchObject({ resolved: 2 });
    const calm = await overview();
    expect(calm.services.find((service) => service.name === 'gateway')).toMatchObject({ requestsPerSecond: 6, errorRatePercent: 8.33 });
    expect(calm.openAlerts.total).toBe(0);
  });
});
