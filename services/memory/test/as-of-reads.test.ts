import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(backends)('reads asOf an instant on $name', ({ postgres }) => {
  it('answer the fact valid then: the old one before its supersession, the new one from it on, walks included', async () => {
    const { app, clock } = await buildMemory({ postgres });
    const headers = await member();
    const stored = clock.now();
    const [ada] = await store(app, headers, [{ content: 'Ada, the lead engineer' }]);
    const [old] = await store(app, headers, [{ content: 'Ada lives in Paris', relations: [{ predicate: 'about', target: ada!.id }] }]);
    // Something that links to the fact: it follows the fact to its new version.
    const [trip] = await store(app, headers, [{ content: 'A trip to visit her', relations: [{ predicate: 'depends_on', target: old!.id }] }]);
    clock.advance(60_000);
    const supersededAt = clock.now();
    const replacement = (await app.inject({ method: 'POST', url: `/v1/memories/${old!.id}/supersede`, headers, payload: { content: 'Ada lives in Berlin' } })).json<{ id: string }>();
    clock.advance(60_000);

    const ids = (answer: { items: { memory: { id: string } }[] }) => answer.items.map((item) => item.memory.id);
    const found = async (asOf: string, mode: string) => ids(await search(app, headers, { query: 'where does Ada live Paris Berlin', mode, asOf, limit: 50 }));
    for (const mode of ['hybrid', 'neural', 'fulltext', 'knowledge']) {
      const before = await found(iso(supersededAt - 1), mode);
      expect(before, mode).toContain(old!.id);
      expect(before, mode).not.toContain(replacement.id);
      const after = await found(iso(supersededAt), mode);
      expect(after, mode).toContain(replacement.id);
      expect(after, mode).not.toContain(old!.id);
    }
    // Before anything was stored there is nothing; an offset is read as the instant it names.
    expect(await found(iso(stored - 1), 'hybrid')).toEqual([]);
    expect(await found('2026-11-28T10:00:30+01:00', 'fulltext')).toContain(old!.id);

    const listed = async (asOf: number) => (await app.inject({ method: 'GET', url: `/v1/memories?asOf=${encodeURIComponent(iso(asOf))}`, headers })).json<{ items: { id: string }[] }>().items.map((memory) => memory.id);
    expect((await listed(supersededAt - 1)).sort()).toEqual([ada!.id, old!.id, trip!.id].sort());
    expect((await listed(supersededAt)).sort()).toEqual([ada!.id, replacement.id, trip!.id].sort());

    const walk = async (from: string, asOf?: number) => ids((await app.inject({ method: 'GET', url: `/v1/memories/${from}/related?depth=2${asOf === undefined ? '' : `&asOf=${encodeURIComponent(iso(asOf))}`}`, headers })).json());
    expect((await walk(ada!.id, supersededAt - 1)).sort()).toEqual([old!.id, trip!.id].sort());
    expect((await walk(ada!.id, supersededAt)).sort()).toEqual([replacement.id, trip!.id].sort());
    expect((await walk(ada!.id)).sort()).toEqual([replacement.id, trip!.id].sort());
    expect(await walk(trip!.id, supersededAt - 1)).toEqual([old!.id, ada!.id]);
    expect(await walk(trip!.id)).toEqual([replacement.id, ada!.id]);
  });
});
