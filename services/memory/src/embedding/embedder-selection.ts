import type { Clock, HttpClient, Logger } from '@lift/kit';
import type { MemoryConfig } from '../config.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { localEmbedder } from './local-embedder.js';
import { openAiEmbeddings, type RemoteEmbeddings } from './openai-embeddings.js';

/**
 * The embedder the configuration names: the OpenAI-compatible API when `EMBEDDINGS_URL` is set,
 * else the built-in local one. The URL alone decides: a key (`EMBEDDINGS_API_KEY`, or the seed's
 * `KSE_API_KEY`, which a `.env` copied from an older `.env.example` may still set to the seed's
 * example value) never switches providers by itself.
 */
export function embedderFor(config: MemoryConfig, deps: { http: HttpClient; clock: Clock; log: Logger }): { embedder: EmbeddingProvider; remote?: RemoteEmbeddings } {
  if (config.EMBEDDINGS_URL === '') return { embedder: localEmbedder() };
  if (config.EMBEDDINGS_DIMENSIONS === 0) throw new Error('EMBEDDINGS_DIMENSIONS: required with EMBEDDINGS_URL — the length of the model\'s vectors (e.g. 1536 for text-embedding-3-small)');
  const remote = openAiEmbeddings({
    http: deps.http,
    clock: deps.clock,
    log: deps.log,
    url: config.EMBEDDINGS_URL,
    model: config.EMBEDDINGS_MODEL,
    dimensions: config.EMBEDDINGS_DIMENSIONS,
    apiKey: config.EMBEDDINGS_API_KEY || config.KSE_API_KEY,
    batchSize: config.EMBEDDINGS_BATCH_SIZE,
    timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
    maxAttempts: config.EMBEDDINGS_MAX_ATTEMPTS,
    retryFirstMs: config.EMBEDDINGS_RETRY_MS,
    retryMaxMs: config.EMBEDDINGS_RETRY_MAX_MS,
  });
  deps.log.info({ model: remote.model, dimensions: remote.dimensions, origin: new URL(config.EMBEDDINGS_URL).origin }, 'memories are embedded by a remote model');
  return { embedder: remote, remote };
}
