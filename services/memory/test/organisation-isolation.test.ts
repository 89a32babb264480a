import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';

describe.each(backends)('isolation between organisations on $name', ({ postgres }) => {
  it('never shows, changes, links or counts another organisation\'s memories; its ids are as missing as unknown ones', async () => {
    const { app } = await buildMemory({ postgres });
    const alice = await member('org-a');
    const bob = await member('org-b', { extra: ['org:admin'] });
    const [secret] = await store(app, alice, [{ content: 'Acme secret pricing strategy for 2027', tags: ['secret'] }]);
    const secretId = (secret as { id: string }).id;
    const unknownId = '00000000-0000-4000-8000-000000000000';

    for (const id of [secretId, unknownId]) {
      for (const [method, url, payload] of [['GET', `/v1/memories/${id}`], ['PATCH', `/v1/memories/${id}`, { content: 'mine now' }], ['DELETE', `/v1/memories/${id}`], ['GET', `/v1/memories/${id}/related`]] as const) {
        const response = await app.inject({ method, url, headers: bob, ...(payload ? { payload } : {}) });
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expect(response.json(), `${method} ${url}`).toMatchObject({ code: 'MEMORY_NOT_FOUND', detail: 'No memory with that id in your organisation.' });
      }
      const linked = await app.inject({ method: 'POST', url: '/v1/memories', headers: bob, payload: { content: 'x', relations: [{ predicate: 'about', target: id }] } });
      expect(linked.statusCode).toBe(400);
      expect(linked.json()).toMatchObject({ code: 'MEMORY_RELATION_TARGET_NOT_FOUND', field: 'body.relations[0].target' });
    }
    for (const mode of ['hybrid', 'neural', 'fulltext', 'knowledge']) expect((await search(app, bob, { query: 'Acme secret pricing strategy', mode })).items, mode).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/v1/memories', headers: bob })).json().items).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/v1/stats', headers: bob })).json()).toMatchObject({ total: 0, topTags: {} });
    // Bob erasing his context leaves Alice's untouched.
    expect((await app.inject({ method: 'DELETE', url: '/v1/context', headers: bob })).json().erased).toBe(0);
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${secretId}`, headers: alice })).json().content).toBe('Acme secret pricing strategy for 2027');
    expect((await search(app, alice, { query: 'Acme pricing', mode: 'neural' })).items[0]?.memory.id).toBe(secretId);
  });
});
