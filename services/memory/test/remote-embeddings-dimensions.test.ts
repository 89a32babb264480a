import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';
import { startOpenAiStandIn } from './openai-stand-in.js';

// The remote model is a local server that answers like OpenAI's /v1/embeddings with 768-number vectors.
describe.each(backends)('a remote model of 768 dimensions ($name)', ({ postgres }) => {
  it('stores, indexes and finds by neural search, and rebuilds its index at a restart', async () => {
    const model = await startOpenAiStandIn({ dimensions: 768 });
    const env = { EMBEDDINGS_URL: `${model.url}/v1`, EMBEDDINGS_MODEL: 'acme-embed-768', EMBEDDINGS_DIMENSIONS: '768', EMBEDDINGS_BATCH_SIZE: '2' };
    const memory = await buildMemory({ postgres, env });
    const headers = await member();
    await store(memory.app, headers, [
      { content: 'The deployment pipeline deploys every merge to staging' },
      { content: 'Quarterly revenue grew in the northern region' },
      { content: 'Customers asked for a dark theme in the dashboard' },
    ]);
    // The readiness probe is one call of its own; the three memories went in batches of two.
    expect(model.calls.filter((batch) => batch[0] !== 'readiness probe').map((batch) => batch.length)).toEqual([2, 1]);
    const stored = await memory.db.selectFrom('memories').select(['embedding', 'embedding_model']).execute();
    expect(stored.map((row) => [row.embedding.byteLength, row.embedding_model])).toEqual(Array(3).fill([768 * 4, 'acme-embed-768']));

    const found = await search(memory.app, headers, { query: 'deploying merges to staging', mode: 'neural', limit: 2 });
    expect(found.items[0]!.memory.content).toBe('The deployment pipeline deploys every merge to staging');
    expect(found.items[0]!.signals.neural).toBeGreaterThan(0.3);

    const restarted = await buildMemory({ postgres, env, storage: memory.storage });
    expect(restarted.app.indexedVectors('org-a')).toBe(3);
    const again = await search(restarted.app, headers, { query: 'dark theme', mode: 'neural', limit: 1 });
    expect(again.items[0]!.memory.content).toBe('Customers asked for a dark theme in the dashboard');
  });
});
