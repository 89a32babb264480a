import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, moduleMember, store } from './helper.js';

describe.each(backends)('memories on $name', ({ postgres }) => {
  it('stores, reads, changes and deletes a memory; source comes from the token, never the body', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member('org-a', { subject: 'user-7' });
    const created = await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'The Q3 launch moved to October', type: 'insight', tags: ['launch', 'q3'], metadata: { team: 'growth', priority: 2 } } });
    expect(created.statusCode).toBe(201);
    const memory = created.json();
    expect(memory).toMatchObject({ content: 'The Q3 launch moved to October', type: 'insight', tags: ['launch', 'q3'], metadata: { team: 'growth', priority: 2 }, relations: [], source: 'user-7', embeddingModel: 'lift-local-hash-v1-256' });
    const forged = await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'x', source: 'someone-else' } });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().errors?.map((error: { field: string }) => error.field).join(' ') ?? forged.json().field).toContain('body.source');

    expect((await app.inject({ method: 'GET', url: `/v1/memories/${memory.id}`, headers })).json().content).toBe('The Q3 launch moved to October');
    const patched = await app.inject({ method: 'PATCH', url: `/v1/memories/${memory.id}`, headers, payload: { content: 'The Q3 launch moved to November', tags: ['launch'] } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ content: 'The Q3 launch moved to November', tags: ['launch'], type: 'insight' });
    expect((await app.inject({ method: 'DELETE', url: `/v1/memories/${memory.id}`, headers })).statusCode).toBe(204);
    const gone = await app.inject({ method: 'GET', url: `/v1/memories/${memory.id}`, headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('MEMORY_NOT_FOUND');
    expect(app.indexedVectors('org-a')).toBe(0);
  });

  it('records the module as the source of what its delegated token stores', async () => {
    const { app } = await buildMemory({ postgres });
    const created = (await app.inject({ method: 'POST', url: '/v1/memories', headers: await moduleMember('org-a', 'causal'), payload: { content: 'a learned fact' } })).json();
    expect(created.source).toBe('module:causal');
    const sources = (await app.inject({ method: 'POST', url: '/v1/search', headers: await member(), payload: { query: 'learned fact', filters: { sources: ['module:causal'] } } })).json();
    expect(sources.items.map((item: { memory: { id: string } }) => item.memory.id)).toEqual([created.id]);
  });

  it('lists newest first with filters and a cursor that walks every page once', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const items = Array.from({ length: 7 }, (_, index) => ({ content: `note number ${index}`, type: index % 2 === 0 ? 'general' : 'insight', tags: index < 3 ? ['early'] : ['late'] }));
    await store(app, headers, items);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { content: string }[]; nextCursor: string | null } = (await app.inject({ method: 'GET', url: `/v1/memories?limit=3${cursor ? `&cursor=${cursor}` : ''}`, headers })).json();
      seen.push(...page.items.map((item) => item.content));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(items.map((item) => item.content).sort());
    const insights = (await app.inject({ method: 'GET', url: '/v1/memories?type=insight', headers })).json();
    expect(insights.items).toHaveLength(3);
    const early = (await app.inject({ method: 'GET', url: '/v1/memories?tag=early&type=general', headers })).json();
    expect(early.items.map((item: { content: string }) => item.content).sort()).toEqual(['note number 0', 'note number 2']);
    const bad = await app.inject({ method: 'GET', url: '/v1/memories?cursor=garbage', headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'MEMORY_INVALID_CURSOR', field: 'querystring.cursor' });
  });

  it('refuses bad input with 400 naming the field, never 5xx', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const fieldOf = (body: { field?: string; errors?: { field: string }[] }) => body.field ?? body.errors?.map((error) => error.field).join(' ');
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/v1/memories', { content: '' }, 'body.content'],
      ['POST', '/v1/memories', { content: '   ' }, 'body.content'],
      ['POST', '/v1/memories', { content: 'x'.repeat(32_769) }, 'body.content'],
      ['POST', '/v1/memories', { content: 'x', relations: [{ predicate: 'supports', target: '3f1e1c1a-0000-4000-8000-000000000000' }] }, 'body.relations[0].target'],
      ['POST', '/v1/memories', { content: 'x', relations: [{ predicate: 'supports', target: 'not-an-id' }] }, 'body.relations[0].target'],
      ['POST', '/v1/memories', { content: 'x', metadata: { blob: 'y'.repeat(900) , more: 'z'.repeat(900), ...Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`f${index}`, 'w'.repeat(900)])) } }, 'body.metadata'],
      ['POST', '/v1/memories/batch', { items: Array.from({ length: 501 }, () => ({ content: 'x' })) }, 'body.items'],
      ['POST', '/v1/search', { query: 'x', limit: 0 }, 'body.limit'],
      ['POST', '/v1/search', { query: 'x', limit: 101 }, 'body.limit'],
      ['POST', '/v1/search', { query: '  ' }, 'body.query'],
      ['POST', '/v1/search', { query: 'x', filters: { colour: ['red'] } }, 'body.filters.colour'],
      ['POST', '/v1/search', { query: 'x', mode: 'magic' }, 'body.mode'],
      ['POST', '/v1/search/batch', { queries: Array.from({ length: 21 }, () => ({ query: 'x' })) }, 'body.queries'],
      ['POST', '/v1/search/batch', { queries: [{ query: 'x' }, { query: ' ' }] }, 'body.queries[1].query'],
    ];
    for (const [method, url, payload, field] of cases) {
      const response = await app.inject({ method: method as 'POST', url, headers, payload });
      expect(response.statusCode, `${url} ${field}`).toBe(400);
      expect(fieldOf(response.json()), `${url} ${field}`).toContain(field);
    }
    expect((await app.inject({ method: 'GET', url: '/v1/memories/not-a-uuid', headers })).statusCode).toBe(400);
  });

  it('needs memory:write to store and memory:read to search', async () => {
    const { app } = await buildMemory({ postgres });
    const viewer = await member('org-a', { permissions: ['memory:read'] });
    const refused = await app.inject({ method: 'POST', url: '/v1/memories', headers: viewer, payload: { content: 'x' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'memory:write' });
    expect((await app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'x' } })).statusCode).toBe(401);
  });
});
