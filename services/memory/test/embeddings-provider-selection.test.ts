import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member, store } from './helper.js';
import { startOpenAiStandIn } from './openai-stand-in.js';

// The remote provider is tested against a local server that answers like OpenAI's /v1/embeddings.
describe.each(backends)('choosing the embeddings provider ($name)', ({ postgres }) => {
  it('keeps the local embedder when only a key is set (the placeholder KSE_API_KEY switches nothing)', async () => {
    const memory = await buildMemory({ postgres, env: { KSE_API_KEY: 'your-kse-api-key', EMBEDDINGS_API_KEY: 'sk-also-set' } });
    const headers = await member();
    const [stored] = await store(memory.app, headers, [{ content: 'deploys run at noon' }]);
    const answer = await memory.app.inject({ method: 'GET', url: `/v1/memories/${stored!.id}`, headers });
    expect(answer.json().embeddingModel).toBe('lift-local-hash-v1-256');
    const ready = await memory.app.inject({ method: 'GET', url: '/ready' });
    expect(Object.keys(ready.json().checks)).not.toContain('embeddings');
  });

  it('uses the OpenAI-compatible API when EMBEDDINGS_URL is set, with the key from KSE_API_KEY', async () => {
    const model = await startOpenAiStandIn({ dimensions: 384, key: 'kse-real-key' });
    const memory = await buildMemory({ postgres, env: { EMBEDDINGS_URL: `${model.url}/v1`, EMBEDDINGS_MODEL: 'acme-embed-2', EMBEDDINGS_DIMENSIONS: '384', KSE_API_KEY: 'kse-real-key' } });
    const headers = await member();
    const [stored] = await store(memory.app, headers, [{ content: 'deploys run at noon' }]);
    const answer = await memory.app.inject({ method: 'GET', url: `/v1/memories/${stored!.id}`, headers });
    expect(answer.json().embeddingModel).toBe('acme-embed-2');
    expect(model.calls).toContainEqual(['deploys run at noon']);
    expect(JSON.parse(model.received.at(-1)!.body)).toMatchObject({ model: 'acme-embed-2', encoding_format: 'float' });
    const stats = await memory.app.inject({ method: 'GET', url: '/v1/stats', headers });
    expect(stats.json()).toMatchObject({ embeddingModel: 'acme-embed-2', storage: { indexedVectors: 1 } });
    const ready = await memory.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.json().checks).toMatchObject({ embeddings: 'ok', index: 'ok' });
  });

  it('prefers EMBEDDINGS_API_KEY over KSE_API_KEY', async () => {
    const model = await startOpenAiStandIn({ dimensions: 64, key: 'the-embeddings-key' });
    const memory = await buildMemory({ postgres, env: { EMBEDDINGS_URL: `${model.url}/v1/embeddings`, EMBEDDINGS_DIMENSIONS: '64', EMBEDDINGS_API_KEY: 'the-embeddings-key', KSE_API_KEY: 'your-kse-api-key' } });
    await store(memory.app, await member(), [{ content: 'hello' }]);
    expect(model.received.at(-1)!.headers.authorization).toBe('Bearer the-embeddings-key');
  });

  it('refuses to start with EMBEDDINGS_URL but no EMBEDDINGS_DIMENSIONS, naming the variable', async () => {
    await expect(buildMemory({ postgres, env: { EMBEDDINGS_URL: 'http://127.0.0.1:9/v1' } })).rejects.toThrow(/EMBEDDINGS_DIMENSIONS/);
  });
});
