import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';

const started: ServiceProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
});

describe('an upstream that stops and comes back', () => {
  it('makes the gateway answer 503 naming it, then recover without a restart', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lift-recovery-'));
    const registryPort = await freePort();
    const startRegistry = () => {
      const registry = startServiceProcess({ name: 'registry', port: registryPort, cwd });
      started.push(registry);
      return registry;
    };
    let registry = startRegistry();
    const gateway = startServiceProcess({ name: 'gateway', port: await freePort(), cwd, env: { REGISTRY_SERVICE_URL: registry.url } });
    started.push(gateway);
    await Promise.all([waitUntilReady(registry), waitUntilReady(gateway)]);
    expect((await fetch(`${gateway.url}/registry/health`)).status).toBe(200);

    expect(await registry.stop()).toBe(0);
    const down = await fetch(`${gateway.url}/registry/health`);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await down.json()) as { code: string; detail: string; upstream: string };
    expect(problem).toMatchObject({ code: 'GATEWAY_UPSTREAM_UNAVAILABLE', upstream: 'registry' });
    expect(problem.detail).toContain('registry');

    registry = startRegistry();
    await waitUntilReady(registry);
    const back = await fetch(`${gateway.url}/registry/health`);
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ service: 'registry' });
  });
});
