import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';
import { createSpace, tone } from './spaces-fixture.js';

describe.each(backends)('conceptual spaces between organisations on $name', ({ postgres }) => {
  it('never shows, deletes, places in or searches another organisation\'s space: it is as missing as none', async () => {
    const { app } = await buildMemory({ postgres });
    const alice = await member('org-a');
    const bob = await member('org-b');
    await createSpace(app, alice);
    const [placed] = await store(app, alice, [{ content: 'Alice places this', dimensions: tone(5, 0.5) }]);

    expect((await app.inject({ method: 'GET', url: '/v1/spaces', headers: bob })).json()).toEqual({ items: [], nextCursor: null });
    for (const name of ['tone', 'never-made']) {
      for (const method of ['GET', 'DELETE'] as const) {
        const response = await app.inject({ method, url: `/v1/spaces/${name}`, headers: bob });
        expect(response.statusCode, `${method} ${name}`).toBe(404);
        expect(response.json(), `${method} ${name}`).toMatchObject({ code: 'MEMORY_SPACE_NOT_FOUND' });
      }
    }
    const placing = await app.inject({ method: 'POST', url: '/v1/memories', headers: bob, payload: { content: 'x', dimensions: tone(5, 0.5) } });
    expect(placing.json()).toMatchObject({ code: 'MEMORY_SPACE_UNKNOWN', field: 'body.dimensions.space' });
    const searching = await app.inject({ method: 'POST', url: '/v1/search', headers: bob, payload: { mode: 'conceptual', space: 'tone', point: { formality: 5, urgency: 0.5 } } });
    expect(searching.json()).toMatchObject({ code: 'MEMORY_SPACE_UNKNOWN', field: 'body.space' });

    // Bob's own space of the same name is his alone: it holds none of Alice's memories, and deleting it leaves hers placed.
    await createSpace(app, bob);
    expect((await search(app, bob, { mode: 'conceptual', space: 'tone', point: { formality: 5, urgency: 0.5 } })).items).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: '/v1/spaces/tone', headers: bob })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/v1/spaces/tone', headers: alice })).statusCode).toBe(200);
    expect((await search(app, alice, { mode: 'conceptual', space: 'tone', point: { formality: 5, urgency: 0.5 } })).items.map((item) => item.memory.id)).toEqual([placed?.id]);
  });
});
