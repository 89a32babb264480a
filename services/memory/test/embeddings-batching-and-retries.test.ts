import { describe, expect, it } from 'vitest';
import { createHttpClient } from '@lift/kit';
import { openAiEmbeddings } from '../src/embedding/openai-embeddings.js';
import { embedText } from '../src/embedding/local-embedder.js';
import { sendJson } from '../../../tests/support/stand-in-server.js';
import { capturingLogger } from '../../../tests/support/captured-logs.js';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { manualClock } from '../../../tests/support/manual-clock.js';
import { startOpenAiStandIn } from './openai-stand-in.js';

const key = 'sk-test-do-not-leak-0123456789';

// Against a local server that answers like OpenAI's /v1/embeddings; waits are recorded, not slept.
function providerFor(url: string, overrides: { batchSize?: number; maxAttempts?: number; timeoutMs?: number; dimensions?: number } = {}) {
  const http = createHttpClient({ service: 'memory', version: 'test' });
  closeWhenDone(() => http.close());
  const { log, lines } = capturingLogger('memory', 'info');
  const waits: number[] = [];
  const provider = openAiEmbeddings({
    http,
    clock: manualClock(),
    log,
    url: `${url}/v1`,
    model: 'acme-embed',
    dimensions: overrides.dimensions ?? 32,
    apiKey: key,
    batchSize: overrides.batchSize ?? 10,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxAttempts: overrides.maxAttempts ?? 4,
    retryFirstMs: 100,
    retryMaxMs: 5_000,
    wait: async (ms) => void waits.push(ms),
  });
  return { provider, waits, lines };
}

/** The error the call ends with (a call that succeeds fails the test). */
async function failureOf(call: Promise<unknown>): Promise<Error & { status?: number; code?: string }> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

describe('the OpenAI-compatible embeddings provider', () => {
  it('sends texts in batches of EMBEDDINGS_BATCH_SIZE and answers unit vectors in input order', async () => {
    const model = await startOpenAiStandIn({ dimensions: 32, key });
    const { provider } = providerFor(model.url, { batchSize: 10 });
    const texts = Array.from({ length: 25 }, (_, index) => `note number ${index} about topic ${index % 4}`);
    const vectors = await provider.embed(texts);
    expect(model.calls.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(model.calls.flat()).toEqual(texts);
    expect(vectors).toHaveLength(25);
    // The stand-in answers each batch in reverse order: the index field puts them back.
    vectors.forEach((vector, index) => expect(Array.from(vector)).toEqual(Array.from(embedText(texts[index]!, 32))));
    expect(Math.hypot(...vectors[3]!)).toBeCloseTo(1, 5);
  });

  it('retries a 429 after what Retry-After asks, then a 503 with a doubled wait, then succeeds', async () => {
    const model = await startOpenAiStandIn({
      dimensions: 32,
      fault: (call, _request, response) => {
        if (call === 1) sendJson(response, 429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '3' });
        else if (call === 2) sendJson(response, 503, { error: { message: 'overloaded' } });
        return call <= 2;
      },
    });
    const { provider, waits, lines } = providerFor(model.url);
    const [vector] = await provider.embed(['retry me']);
    expect(Array.from(vector!)).toEqual(Array.from(embedText('retry me', 32)));
    expect(model.calls).toHaveLength(3);
    expect(waits).toEqual([3_000, 200]);
    expect(provider.lastOutcome?.ok).toBe(true);
    expect(lines.filter((line) => line.msg === 'the embeddings model failed; retrying')).toHaveLength(2);
  });

  it('retries a refused connection and gives up after EMBEDDINGS_MAX_ATTEMPTS with a 503 that names the model and never the key', async () => {
    const model = await startOpenAiStandIn({ dimensions: 32 });
    await model.close();
    const { provider, waits, lines } = providerFor(model.url, { maxAttempts: 3 });
    const failure = await failureOf(provider.embed(['anything']));
    expect(failure).toMatchObject({ status: 503, code: 'MEMORY_EMBEDDINGS_UNAVAILABLE' });
    expect(failure.message).toContain('acme-embed');
    expect(failure.message).toContain(new URL(model.url).origin);
    expect(waits).toEqual([100, 200]);
    expect(provider.lastOutcome?.ok).toBe(false);
    expect(JSON.stringify(lines) + failure.message + String((failure.cause as Error).message)).not.toContain(key);
  });

  it('does not retry a refused key (401), and cuts the key out of the answer it quotes', async () => {
    const model = await startOpenAiStandIn({ dimensions: 32, key: 'another-key' });
    const { provider, waits, lines } = providerFor(model.url);
    const failure = await failureOf(provider.embed(['anything']));
    expect(model.calls).toHaveLength(0);
    expect(model.received).toHaveLength(1);
    expect(waits).toEqual([]);
    const cause = (failure.cause as Error).message;
    expect(cause).toContain('answered 401');
    expect(cause).toContain('[redacted]');
    expect(JSON.stringify(lines) + failure.message + cause).not.toContain(key);
  });

  it('refuses vectors of another length than EMBEDDINGS_DIMENSIONS, saying so, without retrying', async () => {
    const model = await startOpenAiStandIn({ dimensions: 48 });
    const { provider, waits } = providerFor(model.url, { dimensions: 32 });
    const failure = await failureOf(provider.embed(['anything']));
    expect((failure.cause as Error).message).toMatch(/vector of 48 numbers where EMBEDDINGS_DIMENSIONS says 32/);
    expect(waits).toEqual([]);
  });

  it('gives up on a call that outlasts EMBEDDINGS_TIMEOUT_MS and retries it', async () => {
    const model = await startOpenAiStandIn({ dimensions: 32, fault: (call) => call === 1 });
    const { provider, waits } = providerFor(model.url, { timeoutMs: 50 });
    const [vector] = await provider.embed(['slow']);
    expect(vector).toHaveLength(32);
    expect(waits).toEqual([100]);
    expect(model.calls).toHaveLength(2);
  });
});
