import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, store } from './helper.js';

describe.each(backends)('walking relations on $name', ({ postgres }) => {
  it('walks both directions up to the depth, each memory once at its shortest distance, narrowed by predicate', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const [root, child, grandchild, other] = (await store(app, headers, [{ content: 'root' }, { content: 'child' }, { content: 'grandchild' }, { content: 'other' }])).map((memory) => memory.id) as [string, string, string, string];
    await app.inject({ method: 'PATCH', url: `/v1/memories/${root}`, headers, payload: { relations: [{ predicate: 'part_of', target: child }] } });
    await app.inject({ method: 'PATCH', url: `/v1/memories/${child}`, headers, payload: { relations: [{ predicate: 'part_of', target: grandchild }, { predicate: 'part_of', target: root }] } });
    // other → root: incoming to root.
    const [far] = await store(app, headers, [{ content: 'far away', relations: [{ predicate: 'mentions', target: grandchild }] }]);
    await app.inject({ method: 'PATCH', url: `/v1/memories/${other}`, headers, payload: { relations: [{ predicate: 'mentions', target: root }] } });

    const walk = async (query: string) => (await app.inject({ method: 'GET', url: `/v1/memories/${root}/related${query}`, headers })).json().items as { memory: { id: string }; depth: number; via: { from: string; predicate: string; direction: string } }[];
    const one = await walk('?depth=1');
    expect(one.map((item) => [item.memory.id, item.depth]).sort()).toEqual([[child, 1], [other, 1]].sort());
    expect(one.find((item) => item.memory.id === other)?.via).toEqual({ from: root, predicate: 'mentions', direction: 'incoming' });
    const two = await walk('?depth=2');
    expect(two.map((item) => [item.memory.id, item.depth]).sort()).toEqual([[child, 1], [other, 1], [grandchild, 2]].sort());
    const three = await walk('?depth=3');
    expect(three.find((item) => item.memory.id === (far as { id: string }).id)?.depth).toBe(3);
    expect((await walk('?depth=3&predicate=part_of')).map((item) => item.memory.id).sort()).toEqual([child, grandchild].sort());
    expect(await walk('?depth=3&limit=1')).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${root}/related?depth=4`, headers })).statusCode).toBe(400);

    // Deleting a memory removes the relations to it.
    await app.inject({ method: 'DELETE', url: `/v1/memories/${child}`, headers });
    expect((await walk('?depth=3')).map((item) => item.memory.id)).toEqual([other]);
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${root}`, headers })).json().relations).toEqual([]);
  });
});
