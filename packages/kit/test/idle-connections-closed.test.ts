import { Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { closeIdleConnectionsAfter } from '../src/index.js';
import { buildTestService, closeWhenDone } from './helper.js';

/** A kit service (Fastify's 72 s keep-alive, announced to clients) and a pool that has made one call to it. */
async function serviceCalledOnce(poolOptions: Pool.Options) {
  const app = await buildTestService();
  app.get('/answer', async () => ({ ok: true }));
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  const pool = new Pool(origin, poolOptions);
  closeWhenDone(() => pool.destroy());
  const answer = await pool.request({ path: '/answer', method: 'GET' });
  expect(answer.headers['keep-alive']).toBe('timeout=72');
  await answer.body.text();
  const openConnections = () => new Promise<number>((resolve, reject) => app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  return { openConnections };
}

// Regression (#21, load run): after the load stopped, the gateway and the services it calls kept
// every pooled connection open for 71 s, not the 10 s the pools were given — the services'
// Keep-Alive hint overrode it — so a burst's connections (up to 128 per upstream) outlived it.
describe('pooled connections to a kit service', () => {
  it('close once idle for as long as the pool was told, whatever the server announces', async () => {
    const { openConnections } = await serviceCalledOnce(closeIdleConnectionsAfter(200));
    await expect.poll(openConnections, { timeout: 3_000, interval: 50 }).toBe(0);
  });

  it('stay open past that with keepAliveTimeout alone (the trap the option closes)', async () => {
    const { openConnections } = await serviceCalledOnce({ keepAliveTimeout: 200 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await openConnections()).toBe(1);
  });
});
