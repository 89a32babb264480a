import { describe, expect, it } from 'vitest';
import { sendJson } from '../../../tests/support/stand-in-server.js';
import { backends, buildMemory, member, search, store } from './helper.js';
import { startOpenAiStandIn } from './openai-stand-in.js';

const texts = ['alpha release notes for the mobile app', 'billing moved to monthly invoices', 'the caching layer drops stale keys', 'design review of the dashboard colours', 'escalation path for outages at night'];

// The new model is a local server that answers like OpenAI's /v1/embeddings (128-number vectors).
describe.each(backends)('a change of embedding model ($name)', ({ postgres }) => {
  it('re-embeds in the background, resumes after a restart, and never mixes the two models in the index', async () => {
    const local = await buildMemory({ postgres });
    const headers = await member();
    await store(local.app, headers, texts.map((content) => ({ content })));

    // First run of the new model: it answers the first page of two, then fails.
    let failFrom = 2;
    const model = await startOpenAiStandIn({
      dimensions: 128,
      fault: (_call, request, response) => {
        const input = (JSON.parse(request.body) as { input: string[] }).input;
        if (input[0] === 'readiness probe') return false;
        if (failFrom <= 0) return (sendJson(response, 503, { error: { message: 'overloaded' } }), true);
        failFrom -= 1;
        return false;
      },
    });
    const env = { EMBEDDINGS_URL: `${model.url}/v1`, EMBEDDINGS_MODEL: 'acme-embed-128', EMBEDDINGS_DIMENSIONS: '128', EMBEDDINGS_BATCH_SIZE: '2', EMBEDDINGS_MAX_ATTEMPTS: '1', EMBEDDINGS_RETRY_MS: '60000' };
    failFrom = 1;
    const first = await buildMemory({ postgres, env, storage: local.storage });
    await first.app.reEmbedding.settled();
    expect(first.app.reEmbedding.progress()).toEqual({ state: 'paused', reEmbedded: 2 });
    const models = async () => (await first.db.selectFrom('memories').select('embedding_model').execute()).map((row) => row.embedding_model).sort();
    expect(await models()).toEqual(['acme-embed-128', 'acme-embed-128', 'lift-local-hash-v1-256', 'lift-local-hash-v1-256', 'lift-local-hash-v1-256']);
    // Only the re-embedded are in the index; the others wait, and full text still finds them.
    expect(first.app.indexedVectors('org-a')).toBe(2);
    const stats = await first.app.inject({ method: 'GET', url: '/v1/stats', headers });
    expect(stats.json()).toMatchObject({ embeddingModel: 'acme-embed-128', reEmbedding: { state: 'paused', pending: 3 }, storage: { indexedVectors: 2 } });
    // The model is back (the paused work waits out its pause): a hybrid search embeds its query.
    failFrom = Number.POSITIVE_INFINITY;
    const waiting = await first.db.selectFrom('memories').select('content').where('embedding_model', '=', 'lift-local-hash-v1-256').execute();
    const found = await search(first.app, headers, { query: waiting[0]!.content, mode: 'hybrid', limit: 5 });
    const hit = found.items.find((item) => item.memory.content === waiting[0]!.content);
    expect(hit?.signals.fulltext).toBeGreaterThan(0);
    expect(hit?.signals.neural).toBeUndefined();
    expect(first.logs.some((line) => line.msg === 're-embedding the memories of another model in the background' && line.pending === 5)).toBe(true);
    expect(first.logs.some((line) => line.msg === 're-embedding paused: the embeddings model failed; the same memories are tried again')).toBe(true);

    // A restart carries on with the three that are left, and only those.
    const embeddedBefore = model.calls.flat().filter((text) => text !== 'readiness probe');
    const second = await buildMemory({ postgres, env, storage: local.storage });
    await second.app.reEmbedding.settled();
    expect(second.app.reEmbedding.progress()).toEqual({ state: 'done', reEmbedded: 3 });
    const embeddedAfter = model.calls.flat().filter((text) => text !== 'readiness probe').slice(embeddedBefore.length);
    expect(embeddedAfter.sort()).toEqual(waiting.map((row) => row.content).sort());
    expect(await models()).toEqual(Array(5).fill('acme-embed-128'));
    expect(second.app.indexedVectors('org-a')).toBe(5);
    expect((await second.app.inject({ method: 'GET', url: '/v1/stats', headers })).json().reEmbedding).toEqual({ state: 'done', pending: 0 });
    const neural = await search(second.app, headers, { query: 'caching stale keys', mode: 'neural', limit: 1 });
    expect(neural.items[0]!.memory.content).toBe('the caching layer drops stale keys');
    expect(second.logs.some((line) => line.msg === 'every memory is embedded by the current model' && line.reEmbedded === 3)).toBe(true);
  });
});
