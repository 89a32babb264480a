import { describe, expect, it } from 'vitest';
import { sendJson } from '../../../tests/support/stand-in-server.js';
import { buildMemory, member } from './helper.js';
import { startOpenAiStandIn } from './openai-stand-in.js';

const key = 'sk-Hostile-Test-Key-123456';
const env = (url: string) => ({ EMBEDDINGS_URL: `${url}/v1`, EMBEDDINGS_DIMENSIONS: '8', EMBEDDINGS_API_KEY: key, EMBEDDINGS_RETRY_MS: '0', EMBEDDINGS_RETRY_MAX_MS: '0', EMBEDDINGS_PROBE_MS: '0', EMBEDDINGS_TIMEOUT_MS: '1000' });

// Review of issue #14: a local server answering like OpenAI's /v1/embeddings, but hostile or broken —
// an answer of hundreds of megabytes was read whole, vectors past 32-bit floats were stored as
// vectors no search finds, and the key echoed in another case reached the log.
describe('a hostile embeddings server', () => {
  it('is refused with 503 when its answer is far larger than a batch of vectors can be, without reading it all', async () => {
    const model = await startOpenAiStandIn({
      dimensions: 8,
      fault: (_call, _request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(`{"data":[{"index":0,"embedding":[${'0.1,'.repeat(2_000_000)}0.1]}]}`);
        return true;
      },
    });
    const { app, db, logs } = await buildMemory({ env: env(model.url), untilReady: false });
    const answer = await app.inject({ method: 'POST', url: '/v1/memories', headers: await member(), payload: { content: 'anything' } });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ code: 'MEMORY_EMBEDDINGS_UNAVAILABLE' });
    expect(await db.selectFrom('memories').selectAll().execute()).toEqual([]);
    expect(JSON.stringify(logs)).toContain('the answer is larger than');
  });

  it('cuts the key out of an echoed error body in any case it is echoed in', async () => {
    const model = await startOpenAiStandIn({
      dimensions: 8,
      fault: (_call, _request, response) => (sendJson(response, 401, { error: { message: `bad key ${key.toLowerCase()} / ${key.toUpperCase()} / ${Buffer.from(key).toString('base64')}` } }), true),
    });
    const { app, logs } = await buildMemory({ env: env(model.url), untilReady: false });
    const answer = await app.inject({ method: 'POST', url: '/v1/memories', headers: await member(), payload: { content: 'anything' } });
    expect(answer.statusCode).toBe(503);
    const logged = JSON.stringify(logs);
    expect(logged).toContain('[redacted]');
    for (const form of [key.toLowerCase(), key.toUpperCase(), Buffer.from(key).toString('base64')]) expect(logged).not.toContain(form);
  });

  it('refuses vectors that overflow 32-bit floats or are all zeros', async () => {
    for (const embedding of [Array(8).fill(1e308), Array(8).fill(0)]) {
      const model = await startOpenAiStandIn({
        dimensions: 8,
        fault: (_call, _request, response) => (sendJson(response, 200, { data: [{ index: 0, embedding }] }), true),
      });
      const { app, db } = await buildMemory({ env: env(model.url), untilReady: false });
      const answer = await app.inject({ method: 'POST', url: '/v1/memories', headers: await member(), payload: { content: 'anything' } });
      expect(answer.statusCode).toBe(503);
      expect(await db.selectFrom('memories').selectAll().execute()).toEqual([]);
    }
  });
});
