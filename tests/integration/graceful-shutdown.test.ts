import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { repositoryRoot, startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';

const started: ServiceProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
});

async function startSlowService(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const service = startServiceProcess({ name: 'slow-fixture', script: join(repositoryRoot, 'tests/fixtures/slow-service.ts'), port: await freePort(), env });
  started.push(service);
  await waitUntilReady(service);
  return service;
}

describe('SIGTERM', () => {
  it('lets a request in flight finish, then exits 0', async () => {
    const service = await startSlowService();
    const inFlight = fetch(`${service.url}/slow?ms=1500`);
    await expect.poll(() => service.output().includes('slow request started'), { timeout: 5_000 }).toBe(true);
    service.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ waitedMs: 1500 });
    expect(await service.exited).toBe(0);
  });

  it('stops being ready at once while draining, and refuses new work', async () => {
    const service = await startSlowService({ SHUTDOWN_DELAY_MS: '1000' });
    const inFlight = fetch(`${service.url}/slow?ms=500`);
    await expect.poll(() => service.output().includes('slow request started'), { timeout: 5_000 }).toBe(true);
    service.child.kill('SIGTERM');
    await expect.poll(async () => (await fetch(`${service.url}/ready`)).status, { timeout: 5_000 }).toBe(503);
    expect((await inFlight).status).toBe(200);
    expect(await service.exited).toBe(0);
  });

  it('exits non-zero when draining takes longer than SHUTDOWN_TIMEOUT_MS', async () => {
    const service = await startSlowService({ SHUTDOWN_TIMEOUT_MS: '300' });
    const inFlight = fetch(`${service.url}/slow?ms=5000`).catch((error: unknown) => error);
    await expect.poll(() => service.output().includes('slow request started'), { timeout: 5_000 }).toBe(true);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(1);
    expect(await inFlight).toBeInstanceOf(Error);
  });
});
