import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { commandAvailable } from '../support/monitoring-tools.js';
import { coreServiceNames, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { renderNativePrometheusConfig, startPrometheus, type PrometheusProcess } from '../support/prometheus-process.js';
import { skipUnless } from '../support/skip-rule.js';

/**
 * Observability's metrics query answered by a real Prometheus (PROMETHEUS_URL): Prometheus scrapes
 * the platform twice a second with the native configuration, a known number of requests is sent,
 * and GET /v1/metrics/query gives their rate — the PromQL the query layer writes, run by the engine.
 */
const available = !skipUnless(commandAvailable('prometheus'), 'the metrics query through a real Prometheus', 'prometheus (apt-get install -y prometheus)');

const admin = { email: 'admin@lift.test', password: 'platform admin passphrase' };
const prometheusSecret = 'prometheus-secret-for-the-query-suite';
const burst = 200;
const windowSeconds = 10;

let stack: PlatformStack;
let prometheus: PrometheusProcess;
beforeAll(async () => {
  if (!available) return;
  // Prometheus's port first: observability starts pointed at it.
  const prometheusPort = await freePort();
  stack = await startPlatformStack({
    SERVICE_CLIENT_SECRETS: [...coreServiceNames, 'gateway'].map((name) => `${name}:${name}-secret-for-the-query-suite`).concat(`prometheus:${prometheusSecret}`).join(','),
    LIFT_ADMIN_EMAIL: admin.email,
    LIFT_ADMIN_PASSWORD: admin.password,
    PROMETHEUS_URL: `http://127.0.0.1:${prometheusPort}`,
  });
  const secretFile = join(mkdtempSync(join(tmpdir(), 'lift-prometheus-secret-')), 'prometheus.client-secret');
  writeFileSync(secretFile, prometheusSecret, { mode: 0o600 });
  const ports = { gateway: stack.gateway.port, ...Object.fromEntries(coreServiceNames.map((name) => [name, stack.services[name].port])) };
  prometheus = await startPrometheus(renderNativePrometheusConfig({ ports, secretFile, interval: '500ms' }), { port: prometheusPort });
}, 30_000);
afterAll(async () => {
  await prometheus?.stop();
  await stack?.stop();
});

/** What Prometheus itself holds now for one PromQL expression (the first value, or undefined). */
async function prometheusValue(expression: string): Promise<number | undefined> {
  const answer = (await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expression)}`)).json()) as { data: { result: { value: [number, string] }[] } };
  const value = answer.data.result[0]?.value[1];
  return value === undefined ? undefined : Number(value);
}

describe.skipIf(!available)('the metrics query through a real Prometheus', () => {
  it('answers the rate of a known burst of requests, grouped by service and route, from PromQL', async () => {
    const registry = stack.services.registry.url;
    const counted = `http_requests_total{service="registry",route="/v1/modules"}`;
    // The series exists (one request) and Prometheus has read it before the burst, so the burst is an increase.
    expect((await fetch(`${registry}/v1/modules`)).status).toBe(401);
    await expect.poll(() => prometheusValue(`sum(${counted})`), { timeout: 10_000, interval: 200 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await Promise.all(Array.from({ length: burst }, () => fetch(`${registry}/v1/modules`).then((answer) => answer.arrayBuffer())));
    await expect.poll(() => prometheusValue(`sum(${counted})`), { timeout: 10_000, interval: 200 }).toBe(burst + 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const login = await fetch(`${stack.gateway.url}/auth/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const query = async (search: string) => {
      const answer = await fetch(`${stack.services.observability.url}/v1/metrics/query?${search}`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(answer.status, await answer.clone().text()).toBe(200);
      return (await answer.json()) as { source: string; items: { labels: Record<string, string>; value: number | null }[] };
    };
    const byRoute = await query(`metric=rate&window=${windowSeconds}s&service=registry&groupBy=service,route,status`);
    expect(byRoute.source).toBe('prometheus');
    const modules = byRoute.items.find((item) => item.labels.route === '/v1/modules');
    expect(modules?.labels).toEqual({ service: 'registry', route: '/v1/modules', status: '401' });
    // 200 requests in a 10 s window: 20/s, give or take Prometheus's extrapolation to the window's
    // edges (rate() scales the increase it sees between its first and last sample up to the
    // window, more when a busy machine delays scrapes) — and the engine's own figure for that
    // expression, read a moment later (a scrape in between may move it a little).
    const engine = await prometheusValue(`sum by (service, route, status) (rate(${counted.replace('}', ',status="401"}')}[${windowSeconds}s]))`);
    const figures = `observability answered ${modules?.value}, Prometheus ${engine}`;
    expect(modules?.value, figures).toBeGreaterThan((burst / windowSeconds) * 0.8);
    expect(modules?.value, figures).toBeLessThan((burst / windowSeconds) * 1.5);
    expect(Math.abs((modules?.value ?? 0) - (engine ?? 0)), figures).toBeLessThan((burst / windowSeconds) * 0.15);
    // The monitor's probes and scrapes are left out, as without Prometheus.
    expect(byRoute.items.map((item) => item.labels.route)).not.toContain('/health');
    // Every request answered 401: no 5xx.
    expect((await query(`metric=error_ratio&window=${windowSeconds}s&service=registry&route=/v1/modules`)).items).toEqual([{ labels: {}, value: 0 }]);
    const p99 = (await query(`metric=p99&window=${windowSeconds}s&service=registry&route=/v1/modules`)).items[0]?.value;
    expect(p99).toBeGreaterThan(0);
    expect(p99).toBeLessThan(10);
  });
});
