import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';

const processes: ServiceProcess[] = [];
afterAll(async () => {
  await Promise.all(processes.map((service) => service.stop()));
});

// Issue #10 item 13: /ready through the gateway showed anyone the service's internal error text
// (database host, port, user). Public probes say names and states; the reason goes to the log.
describe('a service\'s /ready through the real gateway', () => {
  it('names the failing check and its state, never why it fails, which the service logs', async () => {
    const closedPort = await freePort();
    const registry = startServiceProcess({
      name: 'registry',
      port: await freePort(),
      env: { DATABASE_URL: `postgresql://lift_internal:hunter2@127.0.0.1:${closedPort}/lift_private`, LOG_LEVEL: 'info' },
    });
    const gateway = startServiceProcess({ name: 'gateway', port: await freePort(), env: { REGISTRY_SERVICE_URL: registry.url } });
    processes.push(registry, gateway);
    await waitUntilReady(gateway);

    await expect.poll(async () => (await fetch(`${registry.url}/ready`).catch(() => undefined))?.status, { timeout: 10_000 }).toBe(503);
    const answer = await fetch(`${gateway.url}/registry/ready`);
    const body = await answer.text();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(body)).toMatchObject({ code: 'SERVICE_NOT_READY', checks: { database: 'failing' }, detail: expect.stringContaining('database failing') });
    for (const secret of ['ECONNREFUSED', String(closedPort), 'lift_internal', 'lift_private', 'hunter2']) expect(body).not.toContain(secret);
    await expect.poll(() => registry.output(), { timeout: 5_000 }).toMatch(/"check":"database","reason":"[^"]*ECONNREFUSED/);
  });
});
