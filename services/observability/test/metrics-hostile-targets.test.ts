import { describe, expect, it } from 'vitest';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { buildObservability, platformAdmin, platformWithModule, serviceExposition, startPlatformStandIns } from './helper.js';

interface Items {
  items: { labels: Record<string, string>; value: number | null }[];
}

describe('what a target\'s /metrics says about itself', () => {
  it('counts a module\'s series under the module, never under the service its lines name (no posing as the gateway)', async () => {
    const { app, clock, services, setModuleMetrics } = await platformWithModule({ moduleId: 'evil' });
    const headers = await platformAdmin();
    for (const payload of [
      { name: 'Gateway errors', kind: 'error_rate', target: 'gateway', thresholdPercent: 5, forSeconds: 10 },
      { name: 'Gateway slow', kind: 'latency_p95', target: 'gateway', thresholdMs: 1_000, forSeconds: 10 },
    ]) expect((await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload })).statusCode).toBe(201);
    // A core service's lines are its own too, whatever `service` they carry.
    services.gateway.metrics = serviceExposition('gateway', [{ route: '/v1/x', status: 200, count: 100, seconds: 0.01 }]);
    services.auth.metrics = serviceExposition('memory', [{ route: '/v1/t', status: 200, count: 0, seconds: 0.01 }]);
    setModuleMetrics(serviceExposition('gateway', [{ route: '/v1/x', status: 500, count: 0, seconds: 5 }]).replaceAll('service="gateway"', 'service="gateway",module="gateway"'));
    for (let round = 0; round < 3; round += 1) {
      await app.runMonitoringRound();
      clock.advance(10_000);
      services.gateway.metrics = serviceExposition('gateway', [{ route: '/v1/x', status: 200, count: 200 + round * 100, seconds: 0.01 }]);
      services.auth.metrics = serviceExposition('memory', [{ route: '/v1/t', status: 200, count: 10 + round * 10, seconds: 0.01 }]);
      setModuleMetrics(serviceExposition('gateway', [{ route: '/v1/x', status: 500, count: 10_000 * (round + 1), seconds: 5 }]).replaceAll('service="gateway"', 'service="gateway",module="gateway"'));
    }
    await app.runMonitoringRound();
    const ratio = (await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=error_ratio&groupBy=service', headers })).json() as Items;
    expect(ratio.items).toEqual([
      { labels: { service: 'auth' }, value: 0 },
      { labels: { service: 'evil' }, value: 1 },
      { labels: { service: 'gateway' }, value: 0 },
    ]);
    const p95 = (await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=p95&service=gateway', headers })).json() as Items;
    expect(p95.items[0]?.value).toBeLessThan(0.05);
    const overview = (await app.inject({ method: 'GET', url: '/v1/overview', headers })).json() as { services: { name: string; errorRatePercent: number | null }[] };
    expect(overview.services.find((service) => service.name === 'gateway')?.errorRatePercent).toBe(0);
    const alerts = (await app.inject({ method: 'GET', url: '/v1/alerts', headers })).json() as { items: unknown[] };
    expect(alerts.items).toEqual([]);
  });
});

describe('a target whose /metrics cannot be read', () => {
  it('skips that target alone: an invalid line on a module\'s /metrics stops neither the services\' readings, nor the probes, nor the rules; said once per outage', async () => {
    const { app, clock, services, setModuleMetrics, logs } = await platformWithModule({ moduleId: 'broken' });
    const headers = await platformAdmin();
    await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'Gateway errors', kind: 'error_rate', target: 'gateway', thresholdPercent: 5, forSeconds: 10 } });
    services.gateway.metrics = serviceExposition('gateway', [{ route: '/v1/x', status: 500, count: 0, seconds: 0.01 }]);
    setModuleMetrics('http_requests_total{route="x" 1\n');
    for (let round = 1; round <= 3; round += 1) {
      const report = await app.runMonitoringRound();
      expect(report.led).toBe(true);
      clock.advance(10_000);
      services.gateway.metrics = serviceExposition('gateway', [{ route: '/v1/x', status: 500, count: round * 10, seconds: 0.01 }]);
    }
    await app.runMonitoringRound();
    const rate = (await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate&groupBy=service', headers })).json() as Items;
    expect(rate.items).toEqual([{ labels: { service: 'gateway' }, value: 1 }]);
    expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({ services: expect.arrayContaining([expect.objectContaining({ name: 'gateway', state: 'up' })]) });
    const alerts = (await app.inject({ method: 'GET', url: '/v1/alerts', headers })).json() as { items: { target: string }[] };
    expect(alerts.items.map((alert) => alert.target)).toEqual(['gateway']);
    const warnings = logs.filter((line) => line.msg === 'reading a target\'s metrics failed: it is skipped until it answers a valid exposition');
    expect(warnings.map((line) => line.target)).toEqual(['module:broken']);

    // Mended, it is read again.
    setModuleMetrics(serviceExposition('broken', [{ route: '/v1/y', status: 200, count: 0, seconds: 0.01 }]));
    clock.advance(10_000);
    await app.runMonitoringRound();
    setModuleMetrics(serviceExposition('broken', [{ route: '/v1/y', status: 200, count: 100, seconds: 0.01 }]));
    clock.advance(10_000);
    await app.runMonitoringRound();
    const after = (await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate&groupBy=service&service=broken', headers })).json() as Items;
    expect(after.items).toEqual([{ labels: { service: 'broken' }, value: 10 }]);
  });

  it('runs the round\'s probes and rules even when collecting the metrics fails outright', async () => {
    const { env } = await startPlatformStandIns();
    const { app, logs } = await buildObservability({
      env: { ...env, SERVICE_CHECK_TIMEOUT_MS: '400' },
      deps: (deps) => ({ ...deps, monitorOnTimer: false, serviceMetrics: { collect: () => Promise.reject(new Error('the metrics store is gone')), traffic: () => Promise.resolve({ services: [], platform: { service: '*', requests: 0, errors: 0, requestsPerSecond: 0, errorRatio: null, p95Ms: null, coveredMs: 0 } }) } }),
    });
    const report = await app.runMonitoringRound();
    expect(report.led).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({ state: 'up', services: expect.arrayContaining([expect.objectContaining({ name: 'gateway', state: 'up' })]) });
    expect(logs.some((line) => line.msg === 'collecting the metrics of this round failed: the round goes on without them')).toBe(true);
  });
});

describe('odd histograms on a module\'s /metrics', () => {
  it('answer the overview and quantiles: buckets with le="NaN" or "abc" are left out, a histogram with only +Inf has no quantile', async () => {
    const { app, clock, setModuleMetrics } = await platformWithModule({ moduleId: 'odd' });
    const headers = await platformAdmin();
    const histogram = (route: string, les: readonly string[], count: number) => les.map((le) => `http_request_duration_seconds_bucket{route="${route}",status="200",le="${le}"} ${le === 'abc' ? count * 1000 : count}`);
    const exposition = (count: number) => ['# TYPE http_request_duration_seconds histogram', ...histogram('/b', ['NaN', 'abc', '0.1', '+Inf'], count), ...histogram('/only-inf', ['+Inf'], count), ''].join('\n');
    setModuleMetrics(exposition(0));
    await app.runMonitoringRound();
    clock.advance(10_000);
    setModuleMetrics(exposition(10));
    await app.runMonitoringRound();
    const query = async (search: string) => {
      const answer = await app.inject({ method: 'GET', url: `/v1/metrics/query?${search}`, headers });
      expect(answer.statusCode, answer.body).toBe(200);
      return (answer.json() as Items).items;
    };
    expect(await query('metric=p95&service=odd&route=/b')).toEqual([{ labels: {}, value: 0.095 }]);
    expect(await query('metric=p95&service=odd&route=/only-inf')).toEqual([{ labels: {}, value: null }]);
    expect(await query('metric=p99&groupBy=route')).toEqual([
      { labels: { route: '/b' }, value: 0.099 },
      { labels: { route: '/only-inf' }, value: null },
    ]);
    const overview = await app.inject({ method: 'GET', url: '/v1/overview', headers });
    expect(overview.statusCode, overview.body).toBe(200);
  });
});

describe('many modules', () => {
  it('reads their /metrics a few at a time, every one of them', async () => {
    const { app, services } = await platformWithModule();
    let inFlight = 0;
    let most = 0;
    const read = new Set<string>();
    const modules = await startStandIn((request, response) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      read.add(request.url ?? '');
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        response.end(serviceExposition('m', []));
      }, 20);
    });
    const host = new URL(modules.url).host;
    const registry = services.registry.other;
    services.registry.other = (request, response) => {
      if (request.url !== '/v1/prometheus/targets') return registry(request, response);
      sendJson(response, 200, Array.from({ length: 60 }, (_, index) => ({ targets: [host], labels: { job: `lift-module-m${index}`, module: `m${index}`, __metrics_path__: `/m${index}/metrics` } })));
      return true;
    };
    await app.runMonitoringRound();
    expect(read.size).toBe(60);
    expect(most).toBeLessThanOrEqual(16);
  });
});
