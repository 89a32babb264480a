import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';
import { createSpace, tone } from './spaces-fixture.js';

describe.each(backends)('user and session scoping on $name', ({ postgres }) => {
  it('stores userId and sessionId, and narrows search in every mode and the list by them', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    await createSpace(app, headers);
    const [aliceFirst, aliceSecond, bobFirst, nobody] = await store(app, headers, [
      { content: 'prefers the dark theme in the dashboard', userId: 'alice', sessionId: 'chat-1', dimensions: tone(2, 0.2) },
      { content: 'asked about the dark theme for mobile', userId: 'alice', sessionId: 'chat-2', dimensions: tone(3, 0.3) },
      { content: 'prefers the light theme in the dashboard', userId: 'bob', sessionId: 'chat-3', dimensions: tone(2, 0.2) },
      { content: 'the dashboard theme setting moved to preferences', dimensions: tone(2, 0.2) },
    ]);
    expect(aliceFirst).toMatchObject({ userId: 'alice', sessionId: 'chat-1' });
    expect(nobody).not.toHaveProperty('userId');

    const found = async (mode: string, filters: Record<string, unknown>) =>
      (await search(app, headers, { query: 'dashboard theme preference', mode, filters, space: 'tone', point: { formality: 2, urgency: 0.2 }, limit: 20 })).items.map((item) => item.memory.id).sort();
    for (const mode of ['hybrid', 'neural', 'fulltext', 'knowledge', 'conceptual']) {
      const unfiltered = await found(mode, {});
      expect(unfiltered, mode).toContain(bobFirst?.id);
      const alices = await found(mode, { userId: 'alice' });
      expect(alices.length, mode).toBeGreaterThan(0);
      expect(alices.every((id) => [aliceFirst?.id, aliceSecond?.id].includes(id)), mode).toBe(true);
      expect(await found(mode, { sessionId: 'chat-3' }), mode).toEqual([bobFirst?.id]);
      expect(await found(mode, { userId: 'alice', sessionId: 'chat-3' }), mode).toEqual([]);
      expect(await found(mode, { userId: 'carol' }), mode).toEqual([]);
    }

    const list = async (query: string) => (await app.inject({ method: 'GET', url: `/v1/memories?${query}`, headers })).json().items.map((memory: { id: string }) => memory.id).sort();
    expect(await list('userId=alice')).toEqual([aliceFirst?.id, aliceSecond?.id].sort());
    expect(await list('sessionId=chat-2')).toEqual([aliceSecond?.id]);
    expect(await list('userId=alice&sessionId=chat-3')).toEqual([]);
    expect(await list('userId=alice&limit=1')).toHaveLength(1);

    // A patch moves a memory to another user, and null clears the session.
    const moved = await app.inject({ method: 'PATCH', url: `/v1/memories/${nobody?.id}`, headers, payload: { userId: 'bob', sessionId: null } });
    expect(moved.json()).toMatchObject({ userId: 'bob' });
    expect(moved.json()).not.toHaveProperty('sessionId');
    expect(await list('userId=bob')).toEqual([bobFirst?.id, nobody?.id].sort());
  });

  it('refuses a scope id that is not a plain label', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const stored = await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'x', userId: 'has space' } });
    expect(stored.statusCode).toBe(400);
    expect(stored.json()).toMatchObject({ code: 'REQUEST_VALIDATION_FAILED' });
    expect((await app.inject({ method: 'GET', url: '/v1/memories?sessionId=', headers })).statusCode).toBe(400);
  });
});
