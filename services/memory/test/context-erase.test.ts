import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';

describe.each(backends)('erasing an organisation\'s context on $name', ({ postgres }) => {
  it('needs org:admin, then removes rows, full-text entries and index entries, and reports zero stored', async () => {
    const { app, db, events } = await buildMemory({ postgres });
    const headers = await member('org-a');
    const stored = await store(app, headers, [{ content: 'first thing to forget', tags: ['a'] }, { content: 'second thing to forget', tags: ['b'] }]);
    await app.inject({ method: 'PATCH', url: `/v1/memories/${(stored[0] as { id: string }).id}`, headers, payload: { relations: [{ predicate: 'follows', target: (stored[1] as { id: string }).id }] } });
    await store(app, await member('org-b'), [{ content: 'thing another org keeps' }]);

    const refused = await app.inject({ method: 'DELETE', url: '/v1/context', headers });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ permission: 'org:admin' });

    const erased = await app.inject({ method: 'DELETE', url: '/v1/context', headers: await member('org-a', { extra: ['org:admin'] }) });
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toEqual({ erased: 2, remaining: { memories: 0, tags: 0, relations: 0, fullText: 0, spaces: 0, indexEntries: 0 } });
    // Verified beside the answer: the tables themselves and the index.
    for (const table of ['memories', 'memory_tags', 'memory_relations', 'memory_spaces'] as const) {
      expect(Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('count')).where('organisation_id', '=', 'org-a').executeTakeFirstOrThrow()).count), table).toBe(0);
    }
    if (!postgres) expect((await sql<{ count: number }>`select count(*) as count from memory_fts where organisation_id = 'org-a'`.execute(db)).rows[0]?.count).toBe(0);
    expect(app.indexedVectors('org-a')).toBe(0);
    expect(app.indexedVectors('org-b')).toBe(1);
    expect((await search(app, headers, { query: 'thing to forget', mode: 'fulltext' })).items).toEqual([]);
    expect(events.filter((event) => event.org === 'org-a').at(-1)).toMatchObject({ metric: 'memory_items', quantity: 0 });
  });
});
