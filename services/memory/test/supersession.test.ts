import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, store } from './helper.js';

// Issue #14, facts over time: a new version of a fact replaces the old one, which stays with its
// validity ended; the two point at each other.
describe.each(backends)('superseding a memory on $name', ({ postgres }) => {
  it('through the route: the new version keeps what it does not change, the old one ends its validity then', async () => {
    const { app, clock } = await buildMemory({ postgres });
    const headers = await member();
    const [friend] = await store(app, headers, [{ content: 'Ada is a friend of the team' }]);
    const [fact] = await store(app, headers, [{ content: 'Ada lives in Paris', type: 'insight', tags: ['ada'], metadata: { confidence: 0.9 }, userId: 'ada', relations: [{ predicate: 'about', target: friend!.id }] }]);
    const createdAt = new Date(clock.now()).toISOString();
    clock.advance(60_000);
    const moved = await app.inject({ method: 'POST', url: `/v1/memories/${fact!.id}/supersede`, headers, payload: { content: 'Ada lives in Berlin', tags: ['ada', 'moved'] } });
    expect(moved.statusCode).toBe(201);
    const supersededAt = new Date(clock.now()).toISOString();
    const current = moved.json();
    expect(current).toMatchObject({ content: 'Ada lives in Berlin', type: 'insight', tags: ['ada', 'moved'], metadata: { confidence: 0.9 }, userId: 'ada', relations: [{ predicate: 'about', target: friend!.id }], supersedes: fact!.id, validFrom: supersededAt, createdAt: supersededAt });
    expect(current.validTo).toBeUndefined();
    expect(current.supersededBy).toBeUndefined();

    const old = (await app.inject({ method: 'GET', url: `/v1/memories/${fact!.id}`, headers })).json();
    expect(old).toMatchObject({ content: 'Ada lives in Paris', validFrom: createdAt, validTo: supersededAt, supersededBy: current.id, tags: ['ada'] });
    expect(old.supersedes).toBeUndefined();
  });

  it('with supersedes on create and in a batch: the new memory is as given, and each old one is superseded once', async () => {
    const { app, clock } = await buildMemory({ postgres });
    const headers = await member();
    const [price, stock, colour] = await store(app, headers, [{ content: 'The widget costs 5 euros', tags: ['widget'] }, { content: 'Twelve widgets are in stock' }, { content: 'The widget is red' }]);
    clock.advance(1_000);
    const single = await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'The widget costs 6 euros', supersedes: price!.id } });
    expect(single.statusCode).toBe(201);
    expect(single.json()).toMatchObject({ supersedes: price!.id, tags: [] });
    const batch = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items: [{ content: 'Ten widgets are in stock', supersedes: stock!.id }, { content: 'The widget is blue', supersedes: colour!.id }, { content: 'unrelated' }] } });
    expect(batch.statusCode).toBe(201);
    const [newStock, newColour, unrelated] = batch.json().items;
    expect([newStock.supersedes, newColour.supersedes, unrelated.supersedes]).toEqual([stock!.id, colour!.id, undefined]);
    for (const [old, replacement] of [[price!.id, single.json().id], [stock!.id, newStock.id], [colour!.id, newColour.id]]) {
      expect((await app.inject({ method: 'GET', url: `/v1/memories/${old}`, headers })).json()).toMatchObject({ supersededBy: replacement, validTo: new Date(clock.now()).toISOString() });
    }
    // The list shows the current versions only.
    const listed = (await app.inject({ method: 'GET', url: '/v1/memories?limit=100', headers })).json().items.map((memory: { content: string }) => memory.content);
    expect(listed.sort()).toEqual(['Ten widgets are in stock', 'The widget costs 6 euros', 'The widget is blue', 'unrelated']);
    // Two items of one batch may not both supersede one memory: nothing of the batch is stored.
    const twice = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items: [{ content: 'Nine in stock', supersedes: newStock.id }, { content: 'Eight in stock', supersedes: newStock.id }] } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'MEMORY_ALREADY_SUPERSEDED', field: 'body.items[1].supersedes' });
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${newStock.id}`, headers })).json().supersededBy).toBeUndefined();
  });
});
