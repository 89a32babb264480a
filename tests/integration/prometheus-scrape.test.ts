import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandAvailable } from '../support/monitoring-tools.js';
import { coreServiceNames, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { freePort } from '../support/free-port.js';
import { renderNativePrometheusConfig, startPrometheus, type PrometheusProcess } from '../support/prometheus-process.js';
import { repositoryRoot, startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';

/**
 * A real Prometheus with monitoring/prometheus/prometheus.native.yml (this run's ports for the
 * seed's) against the six services and the template module: every target is up, the module found
 * through the registry's service discovery, which Prometheus reads with a token of the
 * `prometheus` client (oauth2 client credentials, its secret read from a file).
 */
const available = !skipUnless(commandAvailable('prometheus'), 'a real Prometheus against the platform', 'prometheus (apt-get install -y prometheus)');

const admin = { email: 'admin@lift.test', password: 'platform admin passphrase' };
const prometheusSecret = 'prometheus-secret-for-the-scrape-suite';

interface ActiveTarget {
  labels: Record<string, string>;
  health: string;
  scrapeUrl: string;
  lastError: string;
}

let stack: PlatformStack;
let template: ServiceProcess;
let prometheus: PrometheusProcess;
beforeAll(async () => {
  if (!available) return;
  stack = await startPlatformStack({
    SERVICE_CLIENT_SECRETS: ['gateway', 'auth', 'billing', 'memory', 'observability', 'registry'].map((name) => `${name}:${name}-secret-for-the-scrape-suite`).concat(`prometheus:${prometheusSecret}`).join(','),
    LIFT_ADMIN_EMAIL: admin.email,
    LIFT_ADMIN_PASSWORD: admin.password,
    MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8',
  });
  const gateway = stack.gateway.url;
  const post = async (path: string, body: unknown, token?: string) => {
    const answer = await fetch(`${gateway}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    if (!answer.ok) throw new Error(`POST ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as Record<string, string>;
  };
  // The template module joins the platform as a module does: with an API key, through the gateway
  // (Prometheus may start first: it asks the registry again every second).
  const session = await post('/auth/v1/login', admin);
  const key = await post('/auth/v1/api-keys', { name: 'template module', permissions: ['registry:admin', 'registry:read', 'registry:heartbeat'] }, session.accessToken);
  template = startServiceProcess({ name: 'template', script: join(repositoryRoot, 'modules/_template/src/main.ts'), port: await freePort(), env: { LIFT_GATEWAY_URL: gateway, LIFT_API_KEY: key.key ?? '', LOG_LEVEL: 'warn' } });
  await waitUntilReady(template);

  const secretFile = join(mkdtempSync(join(tmpdir(), 'lift-prometheus-secret-')), 'prometheus.client-secret');
  writeFileSync(secretFile, prometheusSecret, { mode: 0o600 });
  const ports = { gateway: stack.gateway.port, ...Object.fromEntries(coreServiceNames.map((name) => [name, stack.services[name].port])) };
  prometheus = await startPrometheus(renderNativePrometheusConfig({ ports, secretFile, interval: '1s' }));
}, 40_000);
afterAll(async () => {
  await prometheus?.stop();
  await template?.stop();
  await stack?.stop();
});

describe.skipIf(!available)('a real Prometheus with the native configuration', () => {
  it('scrapes all six services and the registered module, found through service discovery with oauth2, every target up', async () => {
    const targets = async () => ((await (await fetch(`${prometheus.url}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: ActiveTarget[] } }).data.activeTargets;
    const expected = [...['gateway', ...coreServiceNames].map((name) => `lift-${name}`), 'lift-module-template'].sort();
    await expect
      .poll(async () => (await targets()).filter((target) => target.health === 'up').map((target) => target.labels.job).sort(), { timeout: 20_000, interval: 250 })
      .toEqual(expected);
    const module = (await targets()).find((target) => target.labels.job === 'lift-module-template');
    expect(module).toMatchObject({ labels: { module: 'template', version: '0.1.0' }, scrapeUrl: `${template.url}/metrics`, lastError: '' });
    // What Prometheus stored: the module's own series, labelled as the registry described it.
    const query = await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('sum by (job) (up)')}`)).json() as { data: { result: { metric: { job: string }; value: [number, string] }[] } };
    expect(Object.fromEntries(query.data.result.map((entry) => [entry.metric.job, entry.value[1]]))).toEqual(Object.fromEntries(expected.map((job) => [job, '1'])));
  });

  it('needed the token: the discovery endpoint refuses a caller without one', async () => {
    expect((await fetch(`${stack.services.registry.url}/v1/prometheus/targets`)).status).toBe(401);
  });
});
