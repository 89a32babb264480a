import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';

/** A small fixed corpus; each query below has one memory a person would call the best answer. */
const corpus = [
  { content: 'The payment service times out when Stripe webhooks retry too quickly', type: 'incident', tags: ['billing'] },
  { content: 'Deploying the gateway requires rotating the TLS certificates first', type: 'runbook', tags: ['ops'] },
  { content: 'Customers on the free plan asked for more memory searches each month', type: 'feedback', tags: ['product'] },
  { content: 'Postgres vacuum runs nightly to keep the usage tables small', type: 'runbook', tags: ['ops'] },
  { content: 'Quarterly revenue grew because enterprise renewals closed early', type: 'insight', tags: ['finance'] },
  { content: 'The onboarding emails were rewritten to mention the command line tool', type: 'general', tags: ['product'] },
  { content: 'Decision: adopt usearch for the vector index', type: 'decision', tags: ['engineering'] },
  { content: 'Benchmark showed HNSW recall above 0.95 at one hundred thousand items', type: 'insight', tags: ['engineering'] },
  { content: 'Lunch on Friday is pizza in the big meeting room', type: 'general', tags: ['office'] },
];

describe.each(backends)('search relevance on $name', ({ postgres }) => {
  it('puts the expected best hit first in every mode, and says which signals matched', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const stored = await store(app, headers, corpus);
    const id = (index: number) => (stored[index] as { id: string }).id;
    // The benchmark is the decision's evidence: a relation the knowledge signal can follow.
    await app.inject({ method: 'PATCH', url: `/v1/memories/${id(6)}`, headers, payload: { relations: [{ predicate: 'based_on', target: id(7) }] } });

    const fulltext = await search(app, headers, { query: 'stripe webhook retries', mode: 'fulltext' });
    expect(fulltext.mode).toBe('fulltext');
    expect(fulltext.items[0]?.memory.id).toBe(id(0));
    expect(fulltext.items.every((item) => item.signals.fulltext !== undefined && item.signals.neural === undefined)).toBe(true);

    const neural = await search(app, headers, { query: 'deploy gateway certificate', mode: 'neural' });
    expect(neural.items[0]?.memory.id).toBe(id(1));
    expect(neural.items[0]?.signals.neural).toBeGreaterThan(0.3);
    expect(neural.items[0]?.signals.fulltext).toBeUndefined();

    const hybrid = await search(app, headers, { query: 'free plan memory searches' });
    expect(hybrid.mode).toBe('hybrid');
    expect(hybrid.items[0]?.memory.id).toBe(id(2));
    expect(hybrid.items[0]?.signals).toMatchObject({ fulltext: expect.any(Number), neural: expect.any(Number) });

    const knowledge = await search(app, headers, { query: 'adopt usearch vector index', mode: 'knowledge', limit: 2 });
    expect(knowledge.items.map((item) => item.memory.id).sort()).toEqual([id(6), id(7)].sort());
    const evidence = (await search(app, headers, { query: 'adopt usearch vector index' })).items.find((item) => item.memory.id === id(7));
    // Found through the relation alone: it shares no word with the query.
    expect(evidence?.signals.knowledge).toBeGreaterThan(0);
    expect(evidence?.signals.fulltext).toBeUndefined();

    const stemmed = await search(app, headers, { query: 'renewal', mode: 'fulltext' });
    expect(stemmed.items.map((item) => item.memory.id)).toEqual([id(4)]);
  });

  it('applies every filter to every mode, and minScore and limit', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const stored = await store(app, headers, corpus.map((item, index) => ({ ...item, metadata: { index, even: index % 2 === 0, team: index < 4 ? 'platform' : 'business' } })));
    const id = (index: number) => (stored[index] as { id: string }).id;
    for (const mode of ['hybrid', 'neural', 'fulltext', 'knowledge']) {
      const ids = async (filters: Record<string, unknown>, query = 'the service runbook plan tables') => (await search(app, headers, { query, mode, filters, limit: 20 })).items.map((item) => item.memory.id).sort();
      const runbooks = await ids({ types: ['runbook'] });
      expect(runbooks.length, mode).toBeGreaterThan(0);
      expect(runbooks.every((found) => [id(1), id(3)].includes(found)), mode).toBe(true);
      expect((await ids({ tags: ['ops', 'billing'] })).every((found) => [id(0), id(1), id(3)].includes(found)), mode).toBe(true);
      expect((await ids({ metadata: { team: 'platform', even: true } })).every((found) => [id(0), id(2)].includes(found)), mode).toBe(true);
      expect(await ids({ metadata: { index: 3 } }, 'postgres vacuum nightly')).toEqual([id(3)]);
      expect(await ids({ sources: ['someone-else'] })).toEqual([]);
      expect(await ids({ from: '2999-01-01T00:00:00.000Z' })).toEqual([]);
    }
    const limited = await search(app, headers, { query: 'the', mode: 'neural', limit: 2 });
    expect(limited.items).toHaveLength(2);
    const strict = await search(app, headers, { query: 'stripe webhooks', mode: 'neural', minScore: 0.4 });
    expect(strict.items.every((item) => item.score >= 0.4)).toBe(true);
    expect(strict.items.map((item) => item.memory.id)).toContain(id(0));
  });

  // Review of issue #13: a query of only punctuation matched everything at score 0, and a memory
  // of only punctuation at 1.0 (the cosine of two empty vectors).
  it('finds nothing neural for a query the embedder can use nothing of', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member('org-a');
    await store(app, headers, [{ content: 'the launch moved to October' }, { content: '!!! ???' }]);
    const answer = await app.inject({ method: 'POST', url: '/v1/search', headers, payload: { query: '!!!', mode: 'neural' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ items: [] });
  });

  it('answers a batch in order, each query as its own search', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const stored = await store(app, headers, corpus);
    const response = await app.inject({ method: 'POST', url: '/v1/search/batch', headers, payload: { queries: [{ query: 'pizza lunch', mode: 'fulltext' }, { query: 'vacuum postgres', mode: 'neural' }] } });
    expect(response.statusCode).toBe(200);
    const results = response.json().results;
    expect(results.map((result: { items: { memory: { id: string } }[] }) => result.items[0]?.memory.id)).toEqual([(stored[8] as { id: string }).id, (stored[3] as { id: string }).id]);
  });
});
