import { describe, expect, it } from 'vitest';
import { platformAdmin, platformWithModule, serviceExposition } from './helper.js';

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
