import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';
import { createSpace, tone } from './spaces-fixture.js';

const modes = ['hybrid', 'neural', 'fulltext', 'knowledge', 'conceptual'] as const;
const place = { space: 'tone', point: { formality: 5, urgency: 0.5 } };

describe.each(backends)('superseded memories in reads on $name', ({ postgres }) => {
  it('are left out of search in every mode, a batch, the list and the walk, unless includeSuperseded asks for them', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    await createSpace(app, headers);
    const [team] = await store(app, headers, [{ content: 'The platform team', dimensions: tone(1, 0.1) }]);
    const [old] = await store(app, headers, [{ content: 'The platform team meets on Monday mornings', dimensions: tone(5, 0.5), relations: [{ predicate: 'about', target: team!.id }] }]);
    const replacement = (await app.inject({ method: 'POST', url: `/v1/memories/${old!.id}/supersede`, headers, payload: { content: 'The platform team meets on Tuesday afternoons' } })).json<{ id: string }>();
    const ids = (answer: { items: { memory: { id: string } }[] }) => answer.items.map((item) => item.memory.id);

    for (const mode of modes) {
      const found = ids(await search(app, headers, { query: 'platform team meets Monday mornings', mode, limit: 50, ...place }));
      expect(found, mode).not.toContain(old!.id);
      expect(found, mode).toContain(replacement.id);
      const all = ids(await search(app, headers, { query: 'platform team meets Monday mornings', mode, limit: 50, includeSuperseded: true, ...place }));
      expect(all, mode).toEqual(expect.arrayContaining([old!.id, replacement.id]));
    }
    const batch = (await app.inject({ method: 'POST', url: '/v1/search/batch', headers, payload: { queries: modes.map((mode) => ({ query: 'Monday mornings', mode, limit: 50, ...place })) } })).json<{ results: { items: { memory: { id: string } }[] }[] }>();
    expect(batch.results.flatMap(ids)).not.toContain(old!.id);

    const listed = async (query = '') => (await app.inject({ method: 'GET', url: `/v1/memories?limit=100${query}`, headers })).json<{ items: { id: string }[] }>().items.map((memory) => memory.id);
    expect((await listed()).sort()).toEqual([team!.id, replacement.id].sort());
    expect((await listed('&includeSuperseded=true')).sort()).toEqual([team!.id, old!.id, replacement.id].sort());

    // The new version has the old one's relation (kept unless given), the walk finds it alone.
    const walk = async (query = '') => (await app.inject({ method: 'GET', url: `/v1/memories/${team!.id}/related${query}`, headers })).json<{ items: { memory: { id: string } }[] }>();
    expect(ids(await walk())).toEqual([replacement.id]);
    expect(ids(await walk('?includeSuperseded=true')).sort()).toEqual([old!.id, replacement.id].sort());
  });
});
