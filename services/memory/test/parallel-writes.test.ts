import { describe, expect, it } from 'vitest';
import type { ItemLimits } from '../src/limits/item-limits.js';
import { backends, buildMemory, member, store } from './helper.js';

const plan: ItemLimits = { limitOf: async () => ({ included: 100, planId: 'free', periodEnd: '2030-01-01T00:00:00.000Z' }) };

// Review of issue #13: on PostgreSQL each write read the count without a lock (10 parallel
// batches of 50 stored 500 against a limit of 100), and an erase racing writes dropped vectors of
// rows that stayed (neural search missed them until a restart).
describe.each(backends)('parallel writes on $name', ({ postgres }) => {
  it('hold the memory_items hard limit exactly under a parallel burst of batches', async () => {
    const { app } = await buildMemory({ postgres, limits: plan });
    const headers = await member('org-a');
    const items = Array.from({ length: 50 }, (_, index) => ({ content: `burst item ${index}` }));
    const answers = await Promise.all(Array.from({ length: 10 }, () => app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items } })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 201, 402, 402, 402, 402, 402, 402, 402, 402]);
    expect((await app.inject({ method: 'GET', url: '/v1/stats', headers })).json()).toMatchObject({ total: 100 });
  });

  it('keep the vector index equal to the table when an erase runs during a burst of writes', async () => {
    const { app } = await buildMemory({ postgres });
    const admin = await member('org-a', { extra: ['org:admin'] });
    for (let round = 0; round < 3; round += 1) {
      const writes = Array.from({ length: 8 }, (_, writer) =>
        app.inject({ method: 'POST', url: '/v1/memories/batch', headers: admin, payload: { items: Array.from({ length: 20 }, (_, item) => ({ content: `round ${round} writer ${writer} item ${item} zebra` })) } }),
      );
      const erase = Promise.resolve().then(() => app.inject({ method: 'DELETE', url: '/v1/context', headers: admin }));
      await Promise.all([...writes, erase]);
      const stats = (await app.inject({ method: 'GET', url: '/v1/stats', headers: admin })).json<{ total: number; storage: { indexedVectors: number } }>();
      expect(stats.storage.indexedVectors, `round ${round}`).toBe(stats.total);
      const neural = (await app.inject({ method: 'POST', url: '/v1/search', headers: admin, payload: { query: 'zebra writer item', mode: 'neural', limit: 100 } })).json<{ items: unknown[] }>();
      expect(neural.items.length, `round ${round}`).toBe(Math.min(100, stats.total));
    }
  }, 60_000);

  it('never leave a vector behind when a PATCH of the content races a DELETE', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member('org-a');
    const memories = await store(app, headers, Array.from({ length: 50 }, (_, index) => ({ content: `racing memory ${index} about kiwis` })));
    await Promise.all(
      memories.flatMap((memory) => [
        app.inject({ method: 'PATCH', url: `/v1/memories/${memory.id}`, headers, payload: { content: `${memory.content} rewritten` } }),
        app.inject({ method: 'DELETE', url: `/v1/memories/${memory.id}`, headers }),
      ]),
    );
    const stats = (await app.inject({ method: 'GET', url: '/v1/stats', headers })).json<{ total: number; storage: { indexedVectors: number } }>();
    expect(stats.storage.indexedVectors).toBe(stats.total);
  }, 60_000);
});
