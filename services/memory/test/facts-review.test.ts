import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member } from './helper.js';

// Review of issue #14 (facts over time): two merge items of one batch near the same memory had the
// whole batch refused as "already superseded"; deleting the current version left a fact with no
// current version that nothing could supersede or change again.
describe.each(backends)('facts over time, after the review, on $name', ({ postgres }) => {
  it('merges the first of two batch items near one memory into it and stores the second as new', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const original = (await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'The widget is red' } })).json<{ id: string }>();
    const batch = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items: [{ content: 'The widget is red', onDuplicate: 'merge' }, { content: 'the widget is red!', onDuplicate: 'merge' }] } });
    expect(batch.statusCode).toBe(201);
    const [first, second] = batch.json<{ items: { supersedes?: string | null }[] }>().items;
    expect(first?.supersedes).toBe(original.id);
    expect(second?.supersedes ?? null).toBeNull();
  });

  it('makes the replaced version current again when the current one is deleted', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const a = (await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'the office is in Leeds' } })).json<{ id: string }>();
    const b = (await app.inject({ method: 'POST', url: `/v1/memories/${a.id}/supersede`, headers, payload: { content: 'the office is in York' } })).json<{ id: string }>();
    expect((await app.inject({ method: 'DELETE', url: `/v1/memories/${b.id}`, headers })).statusCode).toBe(204);
    const restored = (await app.inject({ method: 'GET', url: `/v1/memories/${a.id}`, headers })).json<{ validTo?: string | null; supersededBy?: string | null }>();
    expect(restored.validTo ?? null).toBeNull();
    expect(restored.supersededBy ?? null).toBeNull();
    expect((await app.inject({ method: 'GET', url: '/v1/memories', headers })).json<{ items: { id: string }[] }>().items.map((item) => item.id)).toEqual([a.id]);
    expect((await app.inject({ method: 'POST', url: `/v1/memories/${a.id}/supersede`, headers, payload: { content: 'the office is in Hull' } })).statusCode).toBe(201);
  });
});

// Review of issue #14: a supersession lost to a parallel one named `body.supersedes`, a field the
// route's body does not have; the memory superseded is the one in the path.
describe.each(backends)('parallel supersessions through the route on $name', ({ postgres }) => {
  it('answer the losers 409 naming params.id', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const fact = (await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'the build takes ten minutes' } })).json<{ id: string }>();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => app.inject({ method: 'POST', url: `/v1/memories/${fact.id}/supersede`, headers, payload: { content: `the build takes ${index + 2} minutes` } })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const lost of answers.filter((answer) => answer.statusCode === 409)) expect(lost.json()).toMatchObject({ code: 'MEMORY_ALREADY_SUPERSEDED', field: 'params.id' });
  });
});
