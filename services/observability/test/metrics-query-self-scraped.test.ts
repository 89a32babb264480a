import { describe, expect, it } from 'vitest';
import { backends, buildMonitoring, platformAdmin, platformWithModule, serviceExposition, tenantAdmin } from './helper.js';

interface Answer {
  metric: string;
  unit: string;
  windowSeconds: number;
  groupBy: string[];
  source: string;
  items: { labels: Record<string, string>; value: number | null }[];
}

describe.each(backends)('the metrics query on self-scraped series, $name', (backend) => {
  it('answers rate, 5xx ratio and latency quantiles of a known request pattern, per service, route and status, modules included', async () => {
    const { app, clock, services, setModuleMetrics } = await platformWithModule({ postgres: backend.postgres });
    const headers = await platformAdmin();
    const query = async (search: string) => {
      const answer = await app.inject({ method: 'GET', url: `/v1/metrics/query?${search}`, headers });
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json() as Answer;
    };
    const values = (answer: Answer) => answer.items.map((item) => [Object.values(item.labels).join(' '), item.value === null ? null : Math.round(item.value * 1e6) / 1e6]);

    services.gateway.metrics = serviceExposition('gateway', [{ route: '/v1/things', status: 200, count: 1_000, seconds: 0.02 }]);
    await app.runMonitoringRound();
    expect((await query('metric=rate')).items).toEqual([]);

    // 10 s later: the gateway answered 90 quick and 10 slow 503s on /v1/things and 100 very quick on
    // /v1/other; auth 20; the module 50 (and the monitor's probes, which never count).
    clock.advance(10_000);
    services.gateway.metrics = serviceExposition('gateway', [
      { route: '/v1/things', status: 200, count: 1_090, seconds: 0.02 },
      { route: '/v1/things', status: 503, count: 10, seconds: 2 },
      { route: '/v1/other', status: 200, count: 100, seconds: 0.004 },
      { route: '/health', status: 200, count: 500, seconds: 0.001 },
    ]);
    services.auth.metrics = serviceExposition('auth', [{ route: '/v1/oauth/token', status: 200, count: 20, seconds: 0.04 }]);
    setModuleMetrics(serviceExposition('causal', [{ route: '/v1/predict', status: 200, count: 50, seconds: 0.3 }]));
    await app.runMonitoringRound();

    const rate = await query('metric=rate&window=5m&groupBy=service');
    expect(rate).toMatchObject({ metric: 'rate', unit: 'requests/s', windowSeconds: 300, groupBy: ['service'], source: 'self' });
    expect(values(rate)).toEqual([['auth', 2], ['causal', 5], ['gateway', 20]]);
    expect(values(await query('metric=rate'))).toEqual([['', 27]]);
    expect(values(await query('metric=error_ratio&groupBy=service'))).toEqual([['auth', 0], ['causal', 0], ['gateway', 0.05]]);
    expect(values(await query('metric=error_ratio&groupBy=route&service=gateway'))).toEqual([['/v1/other', 0], ['/v1/things', 0.1]]);
    expect(values(await query('metric=rate&groupBy=route,status&service=gateway'))).toEqual([['/v1/other 200', 10], ['/v1/things 200', 9], ['/v1/things 503', 1]]);
    // 200 answers: 100 ≤ 5 ms, 90 in (10 ms, 25 ms], 10 in (1 s, 2.5 s].
    expect(values(await query('metric=p50&service=gateway'))).toEqual([['', 0.005]]);
    expect(values(await query('metric=p95&service=gateway'))).toEqual([['', 0.025]]);
    expect(values(await query('metric=p99&service=gateway'))).toEqual([['', 2.2]]);
    expect(values(await query('metric=p99&service=gateway&groupBy=status'))).toEqual([['200', 0.024683], ['503', 2.485]]);
    expect(values(await query('metric=p95&route=/v1/oauth/token'))).toEqual([['', 0.04875]]);

    expect(values(await query('metric=p50&service=causal'))).toEqual([['', 0.375]]);

    // Another 10 s with nothing new: the same requests spread over 20 s; a 10 s window holds none.
    clock.advance(10_000);
    await app.runMonitoringRound();
    expect(values(await query('metric=rate&groupBy=service'))).toEqual([['auth', 1], ['causal', 2.5], ['gateway', 10]]);
    expect(values(await query('metric=rate&window=10s&groupBy=service'))).toEqual([]);
  });
});

describe('the metrics query\'s bounds', () => {
  it('keeps at most METRICS_MAX_SERIES_PER_TARGET series of a target, and says so', async () => {
    const { app, clock, setModuleMetrics, logs } = await platformWithModule({ env: { METRICS_MAX_SERIES_PER_TARGET: '10' } });
    const noisy = (count: number) => serviceExposition('causal', Array.from({ length: 500 }, (_, index) => ({ route: `/v1/r${index}`, status: 200, count, seconds: 0.3 })));
    setModuleMetrics(noisy(1));
    await app.runMonitoringRound();
    clock.advance(10_000);
    setModuleMetrics(noisy(2));
    await app.runMonitoringRound();
    const answer = (await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate&groupBy=route&service=causal', headers: await platformAdmin() })).json() as Answer;
    // Ten series per round: request counters first (the exposition's order), so ten routes.
    expect(answer.items).toHaveLength(10);
    expect(logs.some((line) => line.msg === 'a target exposes more request series than METRICS_MAX_SERIES_PER_TARGET: the rest are not kept' && line.target === 'module:causal')).toBe(true);
  });

  it('deletes changes older than METRICS_RETENTION_HOURS', async () => {
    const { app, clock, db, services } = await platformWithModule({ env: { METRICS_RETENTION_HOURS: '1' } });
    const rows = async () => (await db.selectFrom('metric_deltas').select(['sampled_at']).execute()).length;
    const rounds = async () => (await db.selectFrom('metric_rounds').select(['sampled_at']).execute()).length;
    for (let count = 0; count <= 3; count += 1) {
      services.gateway.metrics = serviceExposition('gateway', [{ route: '/v1/things', status: 200, count: count * 10, seconds: 0.02 }]);
      await app.runMonitoringRound();
      clock.advance(10_000);
    }
    // Three rounds of changes: one counter and its twelve buckets each.
    expect(await rows()).toBe(3 * 13);
    const fresh = await rounds();
    clock.advance(3_600_000);
    services.gateway.metrics = serviceExposition('gateway', [{ route: '/v1/things', status: 200, count: 40, seconds: 0.02 }]);
    await app.runMonitoringRound();
    // The gap is past ten rounds: no new changes, and the old ones are gone.
    expect(await rows()).toBe(0);
    expect(fresh).toBeGreaterThan(0);
    expect(await rounds()).toBe(0);
  });

  it('refuses what it cannot answer, naming the field, and those without observability:read', async () => {
    const { app } = await buildMonitoring({ env: { METRICS_RETENTION_HOURS: '24' } });
    const headers = await platformAdmin();
    const refusal = async (search: string) => {
      const answer = await app.inject({ method: 'GET', url: `/v1/metrics/query?${search}`, headers });
      expect(answer.statusCode).toBe(400);
      return answer.json() as { code: string; field: string };
    };
    expect(await refusal('metric=p90')).toMatchObject({ code: 'OBSERVABILITY_INVALID_METRICS_QUERY', field: 'metric' });
    expect(await refusal('metric=rate&window=5x')).toMatchObject({ code: 'OBSERVABILITY_INVALID_METRICS_QUERY', field: 'window' });
    expect(await refusal('metric=rate&window=25h')).toMatchObject({ field: 'window' });
    expect(await refusal('metric=rate&window=5s')).toMatchObject({ field: 'window' });
    expect(await refusal('metric=rate&groupBy=service,method')).toMatchObject({ field: 'groupBy' });
    expect((await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate', headers: await tenantAdmin() })).statusCode).toBe(403);
  });
});
