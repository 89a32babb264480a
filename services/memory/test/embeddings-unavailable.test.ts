import { describe, expect, it } from 'vitest';
import { sendJson } from '../../../tests/support/stand-in-server.js';
import { backends, buildMemory, member, store } from './helper.js';
import { startOpenAiStandIn } from './openai-stand-in.js';

const key = 'sk-unavailable-test-key-987654';

// The remote model is a local server that answers like OpenAI's /v1/embeddings, failing on demand.
describe.each(backends)('an unreachable embeddings model ($name)', ({ postgres }) => {
  it('answers writes with a clear 503 problem, stores nothing, and /ready names embeddings until the model is back', async () => {
    let down = false;
    const model = await startOpenAiStandIn({ dimensions: 96, fault: (_call, _request, response) => (down ? (sendJson(response, 503, { error: { message: 'model loading' } }), true) : false) });
    const memory = await buildMemory({ postgres, env: { EMBEDDINGS_URL: `${model.url}/v1`, EMBEDDINGS_DIMENSIONS: '96', EMBEDDINGS_API_KEY: key, EMBEDDINGS_RETRY_MS: '0', EMBEDDINGS_RETRY_MAX_MS: '0', EMBEDDINGS_PROBE_MS: '0' } });
    const headers = await member();
    down = true;
    const callsBefore = model.calls.length;

    const write = await memory.app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'the release train leaves on Thursdays' } });
    expect(write.statusCode).toBe(503);
    expect(write.headers['content-type']).toContain('application/problem+json');
    const problem = write.json();
    expect(problem).toMatchObject({ status: 503, code: 'MEMORY_EMBEDDINGS_UNAVAILABLE' });
    expect(problem.detail).toContain('text-embedding-3-small');
    expect(write.body).not.toContain('stack');
    expect(write.body).not.toContain(key);
    expect(model.calls.length - callsBefore).toBe(4);
    expect(await memory.db.selectFrom('memories').selectAll().execute()).toEqual([]);

    // Searching goes on without the model where it can: hybrid ranks by full text; neural cannot.
    const searchIn = (mode: string) => memory.app.inject({ method: 'POST', url: '/v1/search', headers, payload: { query: 'release train', mode } });
    expect((await searchIn('neural')).json()).toMatchObject({ code: 'MEMORY_EMBEDDINGS_UNAVAILABLE' });
    expect((await searchIn('hybrid')).statusCode).toBe(200);
    expect((await searchIn('fulltext')).statusCode).toBe(200);

    const ready = await memory.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toMatchObject({ embeddings: 'failing', index: 'ok' });
    expect(ready.json().detail).toContain('embeddings');
    expect(JSON.stringify(memory.logs)).not.toContain(key);

    down = false;
    expect((await memory.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    expect(await store(memory.app, headers, [{ content: 'the release train leaves on Thursdays' }])).toHaveLength(1);
  });
});
