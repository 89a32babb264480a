import { DependencyUnavailableError, retryDelayMs, type Clock, type HttpClient, type Logger } from '@lift/kit';
import { memoryErrorCodes } from '../errors.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { retryAfterMs } from './retry-after.js';
import { toUnitLength } from './unit-vector.js';

export interface OpenAiEmbeddingsOptions {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly log: Logger;
  /** The API's base (`https://api.openai.com/v1`) or its `/embeddings` endpoint. */
  readonly url: string;
  readonly model: string;
  readonly dimensions: number;
  /** Empty for a server that needs none (a local Ollama, vLLM or LocalAI). */
  readonly apiKey: string;
  readonly batchSize: number;
  readonly timeoutMs: number;
  /** Attempts per batch, the first included. */
  readonly maxAttempts: number;
  readonly retryFirstMs: number;
  readonly retryMaxMs: number;
  /** Waits between attempts (tests record them instead of waiting). */
  readonly wait?: (ms: number) => Promise<void>;
}

/** The last call's outcome, which the `embeddings` readiness check reports. */
export interface EmbeddingsOutcome {
  readonly ok: boolean;
  readonly at: number;
  readonly reason?: string;
}

export type RemoteEmbeddings = EmbeddingProvider & {
  readonly lastOutcome: EmbeddingsOutcome | undefined;
  /** One small call, one attempt: does the model answer now? Throws why not. */
  probe(): Promise<void>;
};

interface EmbeddingsAnswer {
  data?: { index?: number; embedding?: unknown }[];
}

/** Worth another attempt: rate-limited, the server's fault, or no answer at all. */
const retryable = (status: number) => status === 429 || status === 408 || status >= 500;

class AttemptFailure extends Error {
  constructor(message: string, readonly retry: boolean, readonly waitAtLeastMs = 0) {
    super(message);
  }
}

/**
 * Any OpenAI-compatible `/v1/embeddings` API (OpenAI, Azure's compatible endpoint, Ollama, vLLM,
 * LocalAI, Text Embeddings Inference …) through the kit's HTTP client: texts go in batches of
 * `batchSize`; a 429, 408, 5xx, timeout or refused connection is retried with doubling waits (at
 * least what `Retry-After` asks, at most `retryMaxMs`); vectors come back in input order,
 * normalised to unit length. The key travels only in the Authorization header: no message, log
 * line or error holds it (an answer's body is quoted with the key cut out).
 */
export function openAiEmbeddings(options: OpenAiEmbeddingsOptions): RemoteEmbeddings {
  const endpoint = options.url.replace(/\/+$/, '').endsWith('/embeddings') ? options.url.replace(/\/+$/, '') : `${options.url.replace(/\/+$/, '')}/embeddings`;
  const origin = new URL(endpoint).origin;
  const named = `embeddings model ${options.model} at ${origin}`;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const headers: Record<string, string> = options.apiKey === '' ? {} : { authorization: `Bearer ${options.apiKey}` };
  // The key as a server might echo it: as sent, lower-cased, upper-cased, base64 (review of #14).
  const keyForms = options.apiKey.length >= 4 ? [options.apiKey, options.apiKey.toLowerCase(), options.apiKey.toUpperCase(), Buffer.from(options.apiKey).toString('base64')] : [];
  const redact = (text: string) => keyForms.reduce((redacted, form) => redacted.split(form).join('[redacted]'), text).slice(0, 300);
  // Room for a full batch of the largest vectors as JSON text, and no more: a server cannot fill
  // memory with its answer, nor trickle it to hold a write longer than the timeout.
  const maxResponseBytes = 64 * 1024 + options.batchSize * options.dimensions * 32;
  let lastOutcome: EmbeddingsOutcome | undefined;

  const attempt = async (texts: readonly string[]): Promise<Float32Array[]> => {
    let answer;
    try {
      answer = await options.http.call(endpoint, {
        method: 'POST',
        headers,
        json: { model: options.model, input: texts, encoding_format: 'float' },
        timeoutMs: options.timeoutMs,
        signal: AbortSignal.timeout(options.timeoutMs),
        maxResponseBytes,
      });
    } catch (error) {
      throw new AttemptFailure(`${named} did not answer (${redact((error as Error).message)})`, true);
    }
    if (answer.status !== 200) {
      const body = redact(await answer.text().catch(() => ''));
      throw new AttemptFailure(`${named} answered ${answer.status}: ${body}`, retryable(answer.status), retryAfterMs(answer.headers['retry-after'], options.clock.now()));
    }
    let parsed: EmbeddingsAnswer;
    try {
      parsed = await answer.json<EmbeddingsAnswer>();
    } catch (error) {
      // Too large, cut off by the timeout, or not JSON: retried like a server error.
      throw new AttemptFailure(`${named} gave an unreadable answer (${redact((error as Error).message)})`, true);
    }
    return vectorsOf(parsed, texts.length, options.dimensions, named);
  };

  const embedBatch = async (texts: readonly string[], maxAttempts: number): Promise<Float32Array[]> => {
    for (let attempts = 1; ; attempts += 1) {
      try {
        const vectors = await attempt(texts);
        lastOutcome = { ok: true, at: options.clock.now() };
        return vectors;
      } catch (error) {
        const failure = error instanceof AttemptFailure ? error : new AttemptFailure(`${named}: ${redact((error as Error).message)}`, false);
        if (!failure.retry || attempts >= maxAttempts) {
          lastOutcome = { ok: false, at: options.clock.now(), reason: failure.message };
          options.log.warn({ attempts, reason: failure.message }, 'the embeddings model failed');
          throw new DependencyUnavailableError(memoryErrorCodes.embeddingsUnavailable, `The ${named} cannot embed right now; retry shortly.`, { cause: new Error(failure.message) });
        }
        const delay = Math.min(options.retryMaxMs, Math.max(retryDelayMs(attempts, options.retryFirstMs, options.retryMaxMs), failure.waitAtLeastMs));
        options.log.info({ attempts, delayMs: delay, reason: failure.message }, 'the embeddings model failed; retrying');
        await wait(delay);
      }
    }
  };

  return {
    model: options.model,
    dimensions: options.dimensions,
    get lastOutcome() {
      return lastOutcome;
    },
    async embed(texts) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += options.batchSize) vectors.push(...(await embedBatch(texts.slice(start, start + options.batchSize), options.maxAttempts)));
      return vectors;
    },
    async probe() {
      await embedBatch(['readiness probe'], 1);
    },
  };
}

/** The answer's vectors in input order, unit length; an answer of another shape is the model's fault. */
function vectorsOf(answer: EmbeddingsAnswer, count: number, dimensions: number, named: string): Float32Array[] {
  const data = Array.isArray(answer.data) ? answer.data : [];
  if (data.length !== count) throw new AttemptFailure(`${named} answered ${data.length} vectors for ${count} texts`, false);
  const vectors = new Array<Float32Array>(count);
  data.forEach((item, position) => {
    const index = typeof item.index === 'number' ? item.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new AttemptFailure(`${named} answered an index ${index} out of range`, false);
    const values = item.embedding;
    if (!Array.isArray(values) || values.length !== dimensions || !values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      const length = Array.isArray(values) ? values.length : 0;
      throw new AttemptFailure(`${named} answered a vector of ${length} numbers where EMBEDDINGS_DIMENSIONS says ${dimensions}; set it to the model's length`, false);
    }
    const vector = toUnitLength(Float32Array.from(values as number[]));
    // Review of issue #14: values past 32-bit floats, or all zeros, gave vectors no search finds.
    if (!vector.every((value) => Number.isFinite(value)) || vector.every((value) => value === 0)) {
      throw new AttemptFailure(`${named} answered a vector that is all zeros or does not fit 32-bit floats`, false);
    }
    vectors[index] = vector;
  });
  // A loop, not .some(): .some() skips the holes a duplicate index leaves.
  for (let index = 0; index < count; index += 1) if (vectors[index] === undefined) throw new AttemptFailure(`${named} answered duplicate indexes`, false);
  return vectors;
}
