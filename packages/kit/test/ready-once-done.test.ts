import { describe, expect, it } from 'vitest';
import { readyOnceDone } from '../src/index.js';
import { buildTestService, capturingLogger } from './helper.js';

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('start-up work a service is not ready without', () => {
  it('keeps /ready failing, by name, until the work has run after what it waits for', async () => {
    const { log } = capturingLogger();
    const app = await buildTestService({ log });
    const migrated = deferred();
    const seeded = deferred();
    readyOnceDone(app, { name: 'plans', after: migrated.promise, work: () => seeded.promise, log, failure: 'seeding failed' });
    const ready = async () => (await app.inject({ method: 'GET', url: '/ready' })).statusCode;
    expect(await ready()).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/ready' })).json().checks).toMatchObject({ plans: 'failing' });
    migrated.resolve();
    expect(await ready()).toBe(503);
    seeded.resolve();
    await expect.poll(ready).toBe(200);
  });

  it('stays not ready, and logs why, when the work fails', async () => {
    const { log, lines } = capturingLogger();
    const app = await buildTestService({ log });
    readyOnceDone(app, { name: 'platform-admin', after: Promise.resolve(), work: async () => Promise.reject(new Error('the database refused')), log, failure: 'creating the platform admin failed' });
    await expect.poll(() => lines.some((line) => line.msg === 'creating the platform admin failed')).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
  });
});
