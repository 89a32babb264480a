import { describe, expect, it } from 'vitest';
import type { ItemLimits } from '../src/limits/item-limits.js';
import { backends, buildMemory, member, store } from './helper.js';

const freePlan: ItemLimits = { limitOf: async (organisationId) => (organisationId === 'org-free' ? { included: 3, planId: 'free', periodEnd: '2030-01-01T00:00:00.000Z' } : undefined) };

describe.each(backends)('the plan\'s stored-items limit on $name', ({ postgres }) => {
  it('refuses a memory past the hard limit with a 402 like the gateway\'s quota answer, stores nothing of a refused batch, and frees room on delete', async () => {
    const { app } = await buildMemory({ postgres, limits: freePlan });
    const headers = await member('org-free');
    const [first] = await store(app, headers, [{ content: 'one' }, { content: 'two' }]);
    const batch = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items: [{ content: 'three' }, { content: 'four' }] } });
    expect(batch.statusCode).toBe(402);
    expect(batch.json()).toMatchObject({ status: 402, title: 'Quota exceeded', code: 'MEMORY_ITEM_LIMIT_REACHED', metric: 'memory_items', included: 3, planId: 'free', periodEnd: '2030-01-01T00:00:00.000Z', stored: 2 });
    expect((await app.inject({ method: 'GET', url: '/v1/memories', headers })).json().items).toHaveLength(2);
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'three' } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'four' } })).statusCode).toBe(402);
    await app.inject({ method: 'DELETE', url: `/v1/memories/${(first as { id: string }).id}`, headers });
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'four' } })).statusCode).toBe(201);
    // A plan without a hard limit is not limited.
    await store(app, await member('org-pro'), Array.from({ length: 5 }, (_, index) => ({ content: `pro ${index}` })));
  });

  it('reports the stored count as a level after every change, as memory_items usage events with unique ids', async () => {
    const { app, events } = await buildMemory({ postgres });
    const headers = await member('org-a');
    const [first] = await store(app, headers, [{ content: 'one' }, { content: 'two' }]);
    await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'three' } });
    await app.inject({ method: 'DELETE', url: `/v1/memories/${(first as { id: string }).id}`, headers });
    expect(events.map((event) => [event.org, event.metric, event.quantity])).toEqual([['org-a', 'memory_items', 2], ['org-a', 'memory_items', 3], ['org-a', 'memory_items', 2]]);
    expect(new Set(events.map((event) => event.id)).size).toBe(3);
  });

  it('answers 503, not an unlimited write, when billing cannot say what the plan allows', async () => {
    const { DependencyUnavailableError } = await import('@lift/kit');
    const down: ItemLimits = { limitOf: async () => { throw new DependencyUnavailableError('MEMORY_LIMITS_UNAVAILABLE', 'billing is down'); } };
    const { app } = await buildMemory({ postgres, limits: down });
    const response = await app.inject({ method: 'POST', url: '/v1/memories', headers: await member('org-a'), payload: { content: 'x' } });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('MEMORY_LIMITS_UNAVAILABLE');
  });
});
