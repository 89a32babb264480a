import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';
import { createSpace, tone, toneSpace } from './spaces-fixture.js';

describe.each(backends)('conceptual search on $name', ({ postgres }) => {
  it('ranks the memories placed in the space by weighted distance from the point, nearest first', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const space = await createSpace(app, headers);
    expect(space).toMatchObject({ name: 'tone', dimensions: [{ name: 'formality', min: 0, max: 10, weight: 1 }, { name: 'urgency', min: 0, max: 1, weight: 1 }] });
    const [a, b, c, d] = await store(app, headers, [
      { content: 'Board notice: the audit is due tomorrow', dimensions: tone(9, 0.9) },
      { content: 'Annual report, formal and unhurried', dimensions: tone(8, 0.1) },
      { content: 'hey the build is on fire', dimensions: tone(1, 0.8) },
      { content: 'lunch sometime?', dimensions: tone(2, 0.2) },
      { content: 'a memory placed in no space' },
    ]);
    const ids = (answer: Awaited<ReturnType<typeof search>>) => answer.items.map((item) => item.memory.id);

    // Normalised by range, equal weights: A ≈ 0.07, B = 0.5, C ≈ 0.57, D ≈ 0.65 from (9, 0.8).
    const ranked = await search(app, headers, { mode: 'conceptual', space: 'tone', point: { formality: 9, urgency: 0.8 } });
    expect(ranked.mode).toBe('conceptual');
    expect(ids(ranked)).toEqual([a?.id, b?.id, c?.id, d?.id]);
    expect(ranked.items[0]?.score).toBeCloseTo(1 - Math.sqrt(0.005), 6);
    expect(ranked.items[1]?.score).toBeCloseTo(0.5, 6);
    expect(ranked.items.every((item) => Object.keys(item.signals).join() === 'conceptual')).toBe(true);
    expect(ranked.items[0]?.memory).toMatchObject({ dimensions: tone(9, 0.9) });

    // Urgency alone: C (0), A (0.1), D (0.6), B (0.7).
    const urgent = await search(app, headers, { mode: 'conceptual', space: 'tone', point: { formality: 9, urgency: 0.8 }, weights: { dimensions: { formality: 0 } } });
    expect(ids(urgent)).toEqual([c?.id, a?.id, d?.id, b?.id]);

    const strict = await search(app, headers, { mode: 'conceptual', space: 'tone', point: { formality: 9, urgency: 0.8 }, minScore: 0.45, limit: 1 });
    expect(ids(strict)).toEqual([a?.id]);
    const filtered = await search(app, headers, { mode: 'conceptual', space: 'tone', point: { formality: 9, urgency: 0.8 }, filters: { from: '2999-01-01T00:00:00.000Z' } });
    expect(filtered.items).toEqual([]);
  });

  it('joins the hybrid fusion when the request names a space and a point, and the point moves the ranking', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    await createSpace(app, headers);
    const [formal, casual, unrelated] = await store(app, headers, [
      { content: 'Formal complaint from a customer about a late invoice', dimensions: tone(9, 0.9) },
      { content: 'Customer complaint about an invoice total', dimensions: tone(1, 0.1) },
      { content: 'Team offsite planning notes', dimensions: tone(5, 0.5) },
    ]);
    const query = { query: 'customer complaint invoice', weights: { conceptual: 3 } };
    const nearFormal = await search(app, headers, { ...query, space: 'tone', point: { formality: 9, urgency: 0.9 } });
    const nearCasual = await search(app, headers, { ...query, space: 'tone', point: { formality: 1, urgency: 0.1 } });
    expect(nearFormal.mode).toBe('hybrid');
    expect(nearFormal.items[0]?.memory.id).toBe(formal?.id);
    expect(nearCasual.items[0]?.memory.id).toBe(casual?.id);
    expect(nearFormal.items[0]?.signals).toMatchObject({ fulltext: expect.any(Number), neural: expect.any(Number), conceptual: 1 });
    // Found by its place alone: it shares no word with the query.
    const placedOnly = nearFormal.items.find((item) => item.memory.id === unrelated?.id);
    expect(placedOnly?.signals.conceptual).toBeGreaterThan(0);
    expect(placedOnly?.signals.fulltext).toBeUndefined();
    // Without a space and a point, hybrid is as before: no conceptual signal at all.
    const plain = await search(app, headers, { query: 'customer complaint invoice' });
    expect(plain.items.some((item) => item.signals.conceptual !== undefined)).toBe(false);
  });

  it('takes memories out of a deleted space and keeps them; a space of the same name starts empty', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    await createSpace(app, headers);
    const [placed] = await store(app, headers, [{ content: 'placed memory', dimensions: tone(3, 0.3) }]);
    expect((await app.inject({ method: 'DELETE', url: '/v1/spaces/tone', headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/v1/spaces/tone', headers })).statusCode).toBe(404);
    const kept = await app.inject({ method: 'GET', url: `/v1/memories/${placed?.id}`, headers });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().dimensions).toBeUndefined();
    await createSpace(app, headers, toneSpace);
    expect((await search(app, headers, { mode: 'conceptual', space: 'tone', point: { formality: 3, urgency: 0.3 } })).items).toEqual([]);

    // Placing by PATCH, then taking out with null.
    const patched = await app.inject({ method: 'PATCH', url: `/v1/memories/${placed?.id}`, headers, payload: { dimensions: tone(4, 0.4) } });
    expect(patched.json().dimensions).toEqual(tone(4, 0.4));
    expect((await search(app, headers, { mode: 'conceptual', space: 'tone', point: { formality: 3, urgency: 0.3 } })).items.map((item) => item.memory.id)).toEqual([placed?.id]);
    const cleared = await app.inject({ method: 'PATCH', url: `/v1/memories/${placed?.id}`, headers, payload: { dimensions: null } });
    expect(cleared.json().dimensions).toBeUndefined();
    expect((await search(app, headers, { mode: 'conceptual', space: 'tone', point: { formality: 3, urgency: 0.3 } })).items).toEqual([]);
  });

  it('erases the organisation\'s spaces with its context', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member('org-a', { extra: ['org:admin'] });
    await createSpace(app, headers);
    await store(app, headers, [{ content: 'placed memory', dimensions: tone(3, 0.3) }]);
    const erased = await app.inject({ method: 'DELETE', url: '/v1/context', headers });
    expect(erased.json()).toMatchObject({ erased: 1, remaining: { memories: 0, spaces: 0 } });
    expect((await app.inject({ method: 'GET', url: '/v1/spaces', headers })).json()).toEqual({ items: [], nextCursor: null });
  });
});
