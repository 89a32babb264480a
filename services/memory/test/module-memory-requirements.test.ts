import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, moduleMember, testModuleAccess } from './helper.js';

// Issue #14: a module's delegated token does with memory only what its manifest's
// memoryRequirements declares — the types it writes (memoryTypes) and the ways it searches
// (searchTypes); people's own tokens are not held to any manifest.
const access = testModuleAccess({
  notes: { memoryTypes: ['note'], searchTypes: ['text', 'hybrid'] },
  reader: { memoryTypes: [], searchTypes: ['vector'] },
});

describe.each(backends)('module memory requirements on $name', ({ postgres }) => {
  it('lets a module write only its declared types, item by item in a batch, and change or delete only those', async () => {
    const { app } = await buildMemory({ postgres, moduleAccess: access });
    const notes = await moduleMember('org-a', 'notes');
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers: notes, payload: { content: 'a note', type: 'note' } })).statusCode).toBe(201);
    const general = await app.inject({ method: 'POST', url: '/v1/memories', headers: notes, payload: { content: 'not a note' } });
    expect(general.statusCode).toBe(403);
    expect(general.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'body.type' });
    const batch = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers: notes, payload: { items: [{ content: 'fine', type: 'note' }, { content: 'not fine', type: 'insight' }] } });
    expect(batch.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'body.items[1].type' });

    // A person's insight: the module may neither retype its note into one nor touch the insight.
    const insight = (await app.inject({ method: 'POST', url: '/v1/memories', headers: await member('org-a'), payload: { content: 'a person\'s insight', type: 'insight' } })).json<{ id: string }>();
    const note = (await app.inject({ method: 'POST', url: '/v1/memories', headers: notes, payload: { content: 'another note', type: 'note' } })).json<{ id: string }>();
    expect((await app.inject({ method: 'PATCH', url: `/v1/memories/${note.id}`, headers: notes, payload: { type: 'insight' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PATCH', url: `/v1/memories/${insight.id}`, headers: notes, payload: { content: 'rewritten' } })).json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'params.id' });
    expect((await app.inject({ method: 'DELETE', url: `/v1/memories/${insight.id}`, headers: notes })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/v1/memories/${note.id}`, headers: notes })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${insight.id}`, headers: notes })).statusCode).toBe(200);
  });

  it('lets a module search only in its declared kinds, every query of a batch', async () => {
    const { app } = await buildMemory({ postgres, moduleAccess: access });
    const reader = await moduleMember('org-a', 'reader');
    const search = (mode?: string) => app.inject({ method: 'POST', url: '/v1/search', headers: reader, payload: { query: 'anything', ...(mode ? { mode } : {}) } });
    expect((await search('neural')).statusCode).toBe(200);
    const hybrid = await search();
    expect(hybrid.statusCode).toBe(403);
    expect(hybrid.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'body.mode' });
    const batch = await app.inject({ method: 'POST', url: '/v1/search/batch', headers: reader, payload: { queries: [{ query: 'a', mode: 'neural' }, { query: 'b', mode: 'fulltext' }] } });
    expect(batch.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'body.queries[1].mode' });
    // A module that declared no type writes nothing.
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers: reader, payload: { content: 'x' } })).statusCode).toBe(403);
  });

  it('refuses a module the registry does not know on every route, reads included, and holds people to no manifest', async () => {
    const { app } = await buildMemory({ postgres, moduleAccess: access });
    const secret = (await app.inject({ method: 'POST', url: '/v1/memories', headers: await member('org-a'), payload: { content: 'a secret board insight', type: 'insight' } })).json<{ id: string }>();
    const stranger = await moduleMember('org-a', 'unregistered');
    for (const [method, url] of [['POST', '/v1/search'], ['GET', '/v1/memories'], ['GET', `/v1/memories/${secret.id}`], ['GET', `/v1/memories/${secret.id}/related`], ['GET', '/v1/stats'], ['GET', '/v1/spaces']] as const) {
      const refused = await app.inject({ method, url, headers: stranger, ...(method === 'POST' ? { payload: { query: 'x', mode: 'neural' } } : {}) });
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED' });
    }
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers: await member('org-a'), payload: { content: 'anything', type: 'whatever' } })).statusCode).toBe(201);
  });

  // Review of issue #14: a module with searchTypes ['text', 'hybrid'] got pure neural or
  // conceptual ranking by weighting a hybrid search; and any module could define or delete spaces.
  it('keeps a hybrid search from being weighted into a kind the module did not declare, and spaces for people', async () => {
    const { app } = await buildMemory({ postgres, moduleAccess: testModuleAccess({ notes: { memoryTypes: ['note'], searchTypes: ['text', 'hybrid'] }, full: { memoryTypes: [], searchTypes: ['text', 'vector', 'graph', 'hybrid'] } }) });
    const notes = await moduleMember('org-a', 'notes');
    const search = (headers: Record<string, string>, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/search', headers, payload: { query: 'anything', ...payload } });
    expect((await search(notes, {})).statusCode).toBe(200);
    const weighted = await search(notes, { weights: { fulltext: 0, neural: 1, knowledge: 0 } });
    expect(weighted.statusCode).toBe(403);
    expect(weighted.json()).toMatchObject({ code: 'MEMORY_MODULE_NOT_ALLOWED', field: 'body.weights' });
    expect((await search(notes, { space: 'mood', point: { calm: 1 } })).json()).toMatchObject({ field: 'body.space' });
    expect((await search(await moduleMember('org-a', 'full'), { weights: { neural: 2 } })).statusCode).toBe(200);

    const person = await member('org-a');
    const space = { name: 'mood', dimensions: [{ name: 'calm', min: 0, max: 1 }] };
    expect((await app.inject({ method: 'POST', url: '/v1/spaces', headers: notes, payload: space })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/v1/spaces', headers: person, payload: space })).statusCode).toBe(201);
    expect((await app.inject({ method: 'DELETE', url: '/v1/spaces/mood', headers: notes })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/spaces/mood', headers: notes })).statusCode).toBe(200);
  });
});
