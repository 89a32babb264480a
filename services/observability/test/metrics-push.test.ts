import { describe, expect, it } from 'vitest';
import { buildMonitoring, moduleToken, platformAdmin, serviceToken, startPlatformStandIns, tenantAdmin } from './helper.js';

describe('modules pushing metrics', () => {
  it('validates readings by the Prometheus data model, all or none, naming the field', async () => {
    const { app } = await buildMonitoring();
    const headers = await moduleToken('causal');
    const push = (payload: object, url = '/v1/metrics') => app.inject({ method: 'POST', url, headers, payload });
    const refused = async (payload: object, url?: string) => {
      const answer = await push(payload, url);
      expect(answer.statusCode, answer.body).toBe(400);
      return answer.json() as { code: string; field: string };
    };
    expect(await refused({ name: '2fast', type: 'counter', value: 1 })).toMatchObject({ code: 'OBSERVABILITY_INVALID_METRIC', field: 'name' });
    expect(await refused({ name: 'causal-runs', type: 'counter', value: 1 })).toMatchObject({ field: 'name' });
    expect(await refused({ name: 'causal_runs_total', type: 'counter', value: -1 })).toMatchObject({ field: 'value' });
    expect(await refused({ name: 'causal_runs_total', type: 'counter', value: 1, labels: { 'bad-label': 'x' } })).toMatchObject({ field: 'labels.bad-label' });
    expect(await refused({ name: 'causal_runs_total', type: 'counter', value: 1, labels: { __name__: 'x' } })).toMatchObject({ field: 'labels.__name__' });
    expect(await refused({ name: 'causal_runs_total', type: 'counter', value: 1, labels: { le: '1' } })).toMatchObject({ field: 'labels.le' });
    expect(await refused({ name: 'causal_runs_total', type: 'counter', value: 1, timestamp: '2001-01-01T00:00:00Z' })).toMatchObject({ field: 'timestamp' });
    expect(await refused({ name: 'process_cpu_seconds_total', type: 'counter', value: 1 })).toMatchObject({ field: 'name' });
    expect(await refused({ name: 'http_request_duration_seconds_bucket', type: 'counter', value: 1 })).toMatchObject({ field: 'name' });
    expect(await refused({ name: 'http_requests_total', type: 'gauge', value: 1 })).toMatchObject({ field: 'type' });
    expect((await push({ name: 'causal_runs_total', type: 'histogram', value: 1 })).statusCode).toBe(400);
    // A batch is checked whole before anything is kept.
    expect(await refused({ items: [{ name: 'causal_queue_depth', type: 'gauge', value: 3 }, { name: 'causal_runs_total', type: 'counter', value: Number.MAX_VALUE, labels: { 'x y': '1' } }] }, '/v1/metrics/batch')).toMatchObject({ field: 'items[1].labels.x y' });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).not.toContain('causal_queue_depth');
    // A name keeps its type.
    expect((await push({ name: 'causal_queue_depth', type: 'gauge', value: 3 })).statusCode).toBe(200);
    expect(await refused({ name: 'causal_queue_depth', type: 'counter', value: 3 })).toMatchObject({ field: 'type' });
  });

  it('labels every series with the pushing module, whatever it sent, and refuses callers that are no module', async () => {
    const { app } = await buildMonitoring();
    const causal = await moduleToken('causal');
    const batch = { items: [
      { name: 'causal_runs_total', type: 'counter', value: 2, labels: { outcome: 'ok', module: 'billing', service: 'gateway' } },
      { name: 'causal_runs_total', type: 'counter', value: 3, labels: { outcome: 'ok' } },
      { name: 'causal_queue_depth', type: 'gauge', value: 7 },
      { name: 'causal_queue_depth', type: 'gauge', value: 4 },
    ] };
    const answer = await app.inject({ method: 'POST', url: '/v1/metrics/batch', headers: causal, payload: batch });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({ accepted: 4, module: 'causal' });
    await app.inject({ method: 'POST', url: '/v1/metrics', headers: await moduleToken('evals'), payload: { name: 'causal_runs_total', type: 'counter', value: 1, labels: { outcome: 'ok' } } });
    const exposition = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    // Counters add; gauges keep the latest; one family per name, each module its own series.
    expect(exposition).toContain('# TYPE causal_runs_total counter\ncausal_runs_total{module="causal",outcome="ok",service="causal"} 5\ncausal_runs_total{module="evals",outcome="ok",service="evals"} 1\n');
    expect(exposition).toContain('causal_queue_depth{module="causal",service="causal"} 4\n');
    expect(exposition.match(/^# TYPE causal_runs_total /gm)).toHaveLength(1);

    // Not a module's token: only with observability:metrics-push, labelled with its subject.
    const refused = await app.inject({ method: 'POST', url: '/v1/metrics', headers: await tenantAdmin(), payload: { name: 'x_total', type: 'counter', value: 1 } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'OBSERVABILITY_METRICS_PUSH_FORBIDDEN' });
    expect((await app.inject({ method: 'POST', url: '/v1/metrics', payload: { name: 'x_total', type: 'counter', value: 1 } })).statusCode).toBe(401);
    const pusher = await app.inject({ method: 'POST', url: '/v1/metrics', headers: await serviceToken('batch-jobs', ['observability:metrics-push']), payload: { name: 'jobs_total', type: 'counter', value: 1 } });
    expect(pusher.json()).toEqual({ accepted: 1, module: 'svc:batch-jobs' });
  });

  it('holds at most METRICS_MAX_PUSHED_SERIES series', async () => {
    const { app } = await buildMonitoring({ env: { METRICS_MAX_PUSHED_SERIES: '3' } });
    const headers = await moduleToken('causal');
    const items = (from: number, count: number) => Array.from({ length: count }, (_, index) => ({ name: 'causal_runs_total', type: 'counter', value: 1, labels: { run: String(from + index) } }));
    expect((await app.inject({ method: 'POST', url: '/v1/metrics/batch', headers, payload: { items: items(0, 3) } })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: '/v1/metrics/batch', headers, payload: { items: items(2, 2) } });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'OBSERVABILITY_PUSHED_SERIES_LIMIT' });
    // Series it holds already still take increments.
    expect((await app.inject({ method: 'POST', url: '/v1/metrics/batch', headers, payload: { items: items(0, 3) } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('causal_runs_total{module="causal",run="0",service="causal"} 2');
  });

  it('holds at most METRICS_MAX_PUSHED_SERIES_PER_MODULE series of one module: filling its own share shuts no other module out', async () => {
    const { app } = await buildMonitoring({ env: { METRICS_MAX_PUSHED_SERIES: '10', METRICS_MAX_PUSHED_SERIES_PER_MODULE: '4' } });
    const items = (name: string, from: number, count: number) => Array.from({ length: count }, (_, index) => ({ name, type: 'gauge', value: 1, labels: { k: String(from + index) } }));
    const evil = await moduleToken('evil');
    expect((await app.inject({ method: 'POST', url: '/v1/metrics/batch', headers: evil, payload: { items: items('evil_g', 0, 4) } })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: '/v1/metrics/batch', headers: evil, payload: { items: items('evil_g', 4, 1) } });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'OBSERVABILITY_PUSHED_SERIES_LIMIT', detail: expect.stringContaining('METRICS_MAX_PUSHED_SERIES_PER_MODULE') });
    const good = await app.inject({ method: 'POST', url: '/v1/metrics', headers: await moduleToken('good'), payload: { name: 'good_jobs_total', type: 'counter', value: 1 } });
    expect(good.statusCode).toBe(200);
  });

  it('forgets a series no push has written for METRICS_PUSHED_SERIES_TTL_MINUTES, freeing its place', async () => {
    const { app, clock } = await buildMonitoring({ env: { METRICS_MAX_PUSHED_SERIES: '2', METRICS_PUSHED_SERIES_TTL_MINUTES: '10' } });
    const push = async (module: string, name: string) => (await app.inject({ method: 'POST', url: '/v1/metrics', headers: await moduleToken(module), payload: { name, type: 'gauge', value: 7 } })).statusCode;
    expect(await push('causal', 'causal_depth')).toBe(200);
    clock.advance(5 * 60_000);
    expect(await push('evals', 'evals_depth')).toBe(200);
    expect(await push('other', 'other_depth')).toBe(503);
    clock.advance(5 * 60_000);
    // causal_depth was last written 10 minutes ago: gone from /metrics, its place taken.
    const exposition = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(exposition).not.toContain('causal_depth');
    expect(exposition).toContain('evals_depth{module="evals",service="evals"} 7');
    expect(await push('other', 'other_depth')).toBe(200);
  });

  it('refuses a counter increment that would count past what a number holds, keeping none of the push', async () => {
    const { app } = await buildMonitoring();
    const headers = await moduleToken('causal');
    expect((await app.inject({ method: 'POST', url: '/v1/metrics', headers, payload: { name: 'causal_big_total', type: 'counter', value: 1e308 } })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: '/v1/metrics/batch', headers, payload: { items: [{ name: 'causal_other_total', type: 'counter', value: 1 }, { name: 'causal_big_total', type: 'counter', value: 1e308 }] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'OBSERVABILITY_INVALID_METRIC' });
    const exposition = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(exposition).toContain('causal_big_total{module="causal",service="causal"} 1e+308');
    expect(exposition).not.toContain('causal_other_total');
    expect(exposition).not.toMatch(/Infinity/);
  });

  it('joins the self-scraped series: pushed request counts appear in the metrics query under the module', async () => {
    const { services, env } = await startPlatformStandIns();
    const { app, clock } = await buildMonitoring({ env });
    const headers = await platformAdmin();
    const push = async (value: number, status: string) => app.inject({ method: 'POST', url: '/v1/metrics', headers: await moduleToken('causal'), payload: { name: 'http_requests_total', type: 'counter', value, labels: { method: 'POST', route: '/v1/jobs', status } } });
    // observability's stand-in shows what this observability writes on its /metrics.
    const round = async () => {
      services.observability.metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      await app.runMonitoringRound();
    };
    expect((await push(0, '200')).statusCode).toBe(200);
    await round();
    await push(40, '200');
    await push(10, '500');
    clock.advance(10_000);
    await round();
    const exposition = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    // Inside the service's own request counter family, beside its own series.
    expect(exposition).toMatch(/# TYPE http_requests_total counter\n(http_requests_total\{[^\n]*service="observability"[^\n]*\n)+http_requests_total\{method="POST",module="causal",route="\/v1\/jobs",service="causal",status="200"\} 40\n/);
    const rate = (await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate&service=causal&groupBy=status', headers })).json() as { items: { labels: Record<string, string>; value: number }[] };
    expect(rate.items).toEqual([{ labels: { status: '200' }, value: 4 }, { labels: { status: '500' }, value: 1 }]);
    const ratio = (await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=error_ratio&groupBy=service&service=causal', headers })).json() as { items: unknown[] };
    expect(ratio.items).toEqual([{ labels: { service: 'causal' }, value: 0.2 }]);
  });
});
