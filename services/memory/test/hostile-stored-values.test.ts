import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, store } from './helper.js';

// Review of issue #13: a NUL in a metadata string was stored, and PostgreSQL's jsonb cast then
// failed every metadata-filtered search of the organisation (500); NUL content was a 500 on
// PostgreSQL and stored on SQLite; deeply nested metadata overflowed the stack (500).
describe.each(backends)('values that cannot be stored, on $name', ({ postgres }) => {
  it('refuses a NUL character in metadata with 400 naming the field, so filtered searches keep working', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member('org-a');
    await store(app, headers, [{ content: 'The Q3 launch moved to October', metadata: { team: 'growth' } }]);
    for (const metadata of [{ note: 'a\u0000b' }, { 'k\u0000': 1 }, { nested: { list: ['x', 'y\u0000'] } }]) {
      const refused = await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'harmless note', metadata } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'MEMORY_METADATA_INVALID', field: 'body.metadata' });
    }
    const patched = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items: [{ content: 'fine' }, { content: 'bad', metadata: { note: '\u0000' } }] } });
    expect(patched.json()).toMatchObject({ code: 'MEMORY_METADATA_INVALID', field: 'body.items[1].metadata' });
    const filtered = await app.inject({ method: 'POST', url: '/v1/search', headers, payload: { query: 'launch', filters: { metadata: { team: 'growth' } } } });
    expect(filtered.statusCode).toBe(200);
    expect(filtered.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('refuses metadata nested deeper than 8 levels, thousands deep included, with 400 naming the field', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member('org-a');
    let nested = '1';
    for (let level = 0; level < 8000; level += 1) nested = `[${nested}]`;
    const deep = await app.inject({ method: 'POST', url: '/v1/memories', headers: { ...headers, 'content-type': 'application/json' }, payload: `{"content":"deep","metadata":{"a":${nested}}}` });
    expect(deep.statusCode).toBe(400);
    expect(deep.json()).toMatchObject({ code: 'MEMORY_METADATA_INVALID', field: 'body.metadata' });
    // Metadata of `count` nested objects, itself the first.
    const levels = (count: number): Record<string, unknown> => (count === 1 ? { leaf: 'value' } : { inner: levels(count - 1) });
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'eight levels', metadata: levels(8) } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'nine levels', metadata: levels(9) } })).statusCode).toBe(400);
  });

  it('refuses a NUL character in content with 400 naming body.content, on both backends alike', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member('org-a');
    const refused = await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'before\u0000after' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'MEMORY_CONTENT_INVALID', field: 'body.content' });
  });
});
