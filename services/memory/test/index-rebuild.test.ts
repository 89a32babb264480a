import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';

describe.each(backends)('the vector index at start on $name', ({ postgres }) => {
  it('is rebuilt from the database: /ready names `index` until then, and neural search finds what was stored before the restart', async () => {
    const first = await buildMemory({ postgres, env: { INDEX_REBUILD_PAGE: '100' } });
    const headers = await member('org-a');
    const stored = await store(first.app, headers, Array.from({ length: 250 }, (_, index) => ({ content: `memory number ${index} about topic ${index % 7}` })));
    await store(first.app, await member('org-b'), [{ content: 'memory of another organisation' }]);
    const deleted = (stored[0] as { id: string }).id;
    await first.app.inject({ method: 'DELETE', url: `/v1/memories/${deleted}`, headers });
    await first.app.close();

    const second = await buildMemory({ postgres, storage: first.storage, untilReady: false, env: { INDEX_REBUILD_PAGE: '100' } });
    const ready = await second.app.inject({ method: 'GET', url: '/ready' });
    if (ready.statusCode === 503) expect(ready.json().checks).toMatchObject({ index: 'failing' });
    await expect.poll(async () => (await second.app.inject({ method: 'GET', url: '/ready' })).json().checks).toEqual({ index: 'ok' });
    expect(second.app.indexedVectors('org-a')).toBe(249);
    expect(second.app.indexedVectors('org-b')).toBe(1);
    const found = await search(second.app, headers, { query: 'memory number 42 about topic 0', mode: 'neural', limit: 3 });
    expect(found.items[0]?.memory.content).toBe('memory number 42 about topic 0');
    expect(found.items.map((item) => item.memory.id)).not.toContain(deleted);
    expect(second.logs.some((line) => line.msg === 'the vector index is rebuilt' && line.vectors === 250)).toBe(true);
  });
});
