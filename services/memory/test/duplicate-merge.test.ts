import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, store } from './helper.js';

// mem0 updates a fact rather than repeating it: with onDuplicate merge, a near-duplicate of a
// current memory (same type and scope, cosine ≥ 0.95 with the current embedder) supersedes it.
describe.each(backends)('onDuplicate on $name', ({ postgres }) => {
  it('merge supersedes the current near-duplicate of the same type and scope; keep (the default) stores both', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const [fact, otherUser, otherType] = await store(app, headers, [
      { content: 'Ada prefers tea in the morning', userId: 'ada' },
      { content: 'Ada prefers tea in the morning', userId: 'bob' },
      { content: 'Ada prefers tea in the morning', userId: 'ada', type: 'insight' },
    ]);
    const create = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/memories', headers, payload });

    const kept = (await create({ content: 'Ada prefers tea in the morning.', userId: 'ada' })).json();
    expect(kept.supersedes).toBeUndefined();
    const explicitKeep = (await create({ content: 'ada prefers TEA in the morning', userId: 'ada', onDuplicate: 'keep' })).json();
    expect(explicitKeep.supersedes).toBeUndefined();

    // Three current near-duplicates of type general for ada now: merge supersedes the nearest.
    const merged = await create({ content: '  Ada prefers   tea in the morning ', userId: 'ada', onDuplicate: 'merge' });
    expect(merged.statusCode).toBe(201);
    const mergedInto = merged.json().supersedes as string;
    expect([fact!.id, kept.id, explicitKeep.id]).toContain(mergedInto);
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${mergedInto}`, headers })).json()).toMatchObject({ supersededBy: merged.json().id });
    // Bob's and the insight are not the same fact's scope or type: untouched.
    for (const id of [otherUser!.id, otherType!.id]) expect((await app.inject({ method: 'GET', url: `/v1/memories/${id}`, headers })).json().supersededBy).toBeUndefined();

    // Nothing near enough — another fact, or a changed one (cosine about 0.77 here): merge stores it as new.
    const fresh = (await create({ content: 'Ada owns a red bicycle', userId: 'ada', onDuplicate: 'merge' })).json();
    expect(fresh.supersedes).toBeUndefined();
    const changed = (await create({ content: 'Ada prefers coffee in the morning', userId: 'ada', onDuplicate: 'merge' })).json();
    expect(changed.supersedes).toBeUndefined();
    const listed = (await app.inject({ method: 'GET', url: '/v1/memories?userId=ada&type=general', headers })).json<{ items: unknown[] }>().items;
    expect(listed).toHaveLength(5);
  });
});
