import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, moduleMember, store, testModuleAccess } from './helper.js';

describe.each(backends)('refused supersessions and as-of reads on $name', ({ postgres }) => {
  it('answer 400 for an asOf malformed or in the future, naming the field, in every read', async () => {
    const { app, clock } = await buildMemory({ postgres });
    const headers = await member();
    const [memory] = await store(app, headers, [{ content: 'a fact' }]);
    const future = new Date(clock.now() + 1_000).toISOString();
    for (const asOf of ['yesterday', '2026-11-28', '2026-13-45T00:00:00Z', future]) {
      const searched = await app.inject({ method: 'POST', url: '/v1/search', headers, payload: { query: 'fact', asOf } });
      expect(searched.statusCode, asOf).toBe(400);
      expect(searched.json(), asOf).toMatchObject({ code: 'MEMORY_AS_OF_INVALID', field: 'body.asOf' });
      const batch = await app.inject({ method: 'POST', url: '/v1/search/batch', headers, payload: { queries: [{ query: 'fact' }, { query: 'fact', asOf }] } });
      expect(batch.json(), asOf).toMatchObject({ code: 'MEMORY_AS_OF_INVALID', field: 'body.queries[1].asOf' });
      for (const url of [`/v1/memories?asOf=${encodeURIComponent(asOf)}`, `/v1/memories/${memory!.id}/related?asOf=${encodeURIComponent(asOf)}`]) {
        const answer = await app.inject({ method: 'GET', url, headers });
        expect(answer.statusCode, url).toBe(400);
        expect(answer.json(), url).toMatchObject({ code: 'MEMORY_AS_OF_INVALID', field: 'querystring.asOf' });
      }
    }
  });

  it('answer 404 for another organisation\'s memory and 409 for one superseded already, which cannot be changed either', async () => {
    const { app } = await buildMemory({ postgres });
    const [theirs] = await store(app, await member('org-b'), [{ content: 'their fact' }]);
    const headers = await member('org-a');
    const viaRoute = await app.inject({ method: 'POST', url: `/v1/memories/${theirs!.id}/supersede`, headers, payload: { content: 'mine now' } });
    expect(viaRoute.statusCode).toBe(404);
    expect(viaRoute.json()).toMatchObject({ code: 'MEMORY_NOT_FOUND' });
    const onCreate = await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'mine now', supersedes: theirs!.id } });
    expect(onCreate.statusCode).toBe(404);
    expect(onCreate.json()).toMatchObject({ code: 'MEMORY_NOT_FOUND', field: 'body.supersedes' });
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${theirs!.id}`, headers: await member('org-b') })).json().supersededBy).toBeUndefined();

    const [mine] = await store(app, headers, [{ content: 'version one' }]);
    const two = (await app.inject({ method: 'POST', url: `/v1/memories/${mine!.id}/supersede`, headers, payload: { content: 'version two' } })).json<{ id: string }>();
    const again = await app.inject({ method: 'POST', url: `/v1/memories/${mine!.id}/supersede`, headers, payload: { content: 'version three' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'MEMORY_ALREADY_SUPERSEDED', field: 'params.id' });
    expect(again.json().detail).toContain(two.id);
    const againOnCreate = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items: [{ content: 'version three', supersedes: mine!.id }] } });
    expect(againOnCreate.json()).toMatchObject({ code: 'MEMORY_ALREADY_SUPERSEDED', field: 'body.items[0].supersedes' });
    const patched = await app.inject({ method: 'PATCH', url: `/v1/memories/${mine!.id}`, headers, payload: { content: 'rewriting history' } });
    expect(patched.statusCode).toBe(409);
    expect((await app.inject({ method: 'GET', url: '/v1/memories?includeSuperseded=true', headers })).json().items).toHaveLength(2);
  });

  it('hold a module to its declared types for the old memory and the new one', async () => {
    const { app } = await buildMemory({ postgres, moduleAccess: testModuleAccess({ notes: { memoryTypes: ['note'], searchTypes: [] } }) });
    const notes = await moduleMember('org-a', 'notes');
    const [insight, note] = await store(app, await member('org-a'), [{ content: 'a person\'s insight', type: 'insight' }, { content: 'a note', type: 'note' }]);
    const ofInsight = await app.inject({ method: 'POST', url: `/v1/memories/${insight!.id}/supersede`, headers: notes, payload: { content: 'overwritten', type: 'note' } });
    expect(ofInsight.statusCode).toBe(403);
    expect(ofInsight.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'params.id' });
    const onCreate = await app.inject({ method: 'POST', url: '/v1/memories', headers: notes, payload: { content: 'overwritten', type: 'note', supersedes: insight!.id } });
    expect(onCreate.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'body.supersedes' });
    const retyped = await app.inject({ method: 'POST', url: `/v1/memories/${note!.id}/supersede`, headers: notes, payload: { content: 'now an insight', type: 'insight' } });
    expect(retyped.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'body.type' });
    const inherited = await app.inject({ method: 'POST', url: `/v1/memories/${note!.id}/supersede`, headers: notes, payload: { content: 'a better note' } });
    expect(inherited.statusCode).toBe(201);
    expect(inherited.json()).toMatchObject({ type: 'note', supersedes: note!.id, source: 'module:notes' });
  });

  it('let exactly one of a parallel burst superseding the same memory win', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const [fact] = await store(app, headers, [{ content: 'the fact as it was' }]);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        index % 2 === 0
          ? app.inject({ method: 'POST', url: `/v1/memories/${fact!.id}/supersede`, headers, payload: { content: `the fact, version ${index}` } })
          : app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: `the fact, version ${index}`, supersedes: fact!.id } }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = answers.find((answer) => answer.statusCode === 201)!.json<{ id: string }>();
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${fact!.id}`, headers })).json().supersededBy).toBe(winner.id);
    expect((await app.inject({ method: 'GET', url: '/v1/memories?includeSuperseded=true', headers })).json().items).toHaveLength(2);
    const stats = (await app.inject({ method: 'GET', url: '/v1/stats', headers })).json<{ total: number; storage: { indexedVectors: number } }>();
    expect(stats.storage.indexedVectors).toBe(stats.total);
  });
});
