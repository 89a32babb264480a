import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties, tokenVerificationConfigProperties } from '@lift/kit';

export const memoryConfigSchema = Type.Object({
  ...baseConfigProperties(8003),
  ...databaseConfigProperties(),
  ...tokenVerificationConfigProperties(),
  BILLING_SERVICE_URL: Type.String({ pattern: '^https?://[^,\\s]+$', default: 'http://127.0.0.1:8002', description: 'where the plan\'s memory_items limit is read and the stored count is reported' }),
  REGISTRY_SERVICE_URL: Type.String({ pattern: '^https?://[^,\\s]+$', default: 'http://127.0.0.1:8005', description: 'where what each module may do with memory (its manifest\'s memoryRequirements) is read' }),
  MODULE_ACCESS_REFRESH_MS: Type.Integer({ minimum: 1_000, maximum: 600_000, default: 10_000, description: 'how often the modules\' memory requirements are read again from the registry' }),
  MEMORY_LIMITS: Type.Boolean({ default: true, description: 'enforce the plan\'s hard memory_items limit and report the stored count to billing (needs the memory service\'s secret)' }),
  ENTITLEMENTS_CACHE_MS: Type.Integer({ minimum: 1_000, maximum: 3_600_000, default: 30_000, description: 'how long billing\'s answer about an organisation\'s plan is reused' }),
  MEMORY_OUTBOX_FILE: Type.String({ minLength: 1, default: 'data/lift.memory.outbox.db', description: 'without REDIS_URL: the file the stored-count events wait in until billing has them' }),
  INDEX_REBUILD_PAGE: Type.Integer({ minimum: 100, maximum: 100_000, default: 5_000, description: 'rows read per page while the vector index is rebuilt at start' }),
  INDEX_SNAPSHOT_DIR: Type.String({ default: '', description: 'a private directory, one per replica, where the vector index is saved at shutdown and loaded at start where it still matches the database (empty: always rebuild)' }),
  EMBEDDINGS_URL: Type.String({ pattern: '^(https?://.+)?$', default: '', description: 'an OpenAI-compatible embeddings API (its base, e.g. https://api.openai.com/v1, or its /embeddings endpoint); empty: the built-in local embedder. This alone picks the provider' }),
  EMBEDDINGS_MODEL: Type.String({ minLength: 1, default: 'text-embedding-3-small', description: 'the model asked for, and the name each stored vector records' }),
  EMBEDDINGS_DIMENSIONS: Type.Integer({ minimum: 0, maximum: 16_384, default: 0, description: 'the length of the model\'s vectors (required with EMBEDDINGS_URL); the vector index is built for it' }),
  EMBEDDINGS_API_KEY: Type.String({ default: '', description: 'the embeddings API\'s key (KSE_API_KEY when empty); never logged' }),
  KSE_API_KEY: Type.String({ default: '', description: 'the seed\'s name for the embeddings key; used when EMBEDDINGS_API_KEY is empty, and never switches providers by itself' }),
  EMBEDDINGS_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 2_048, default: 96, description: 'texts per call to the embeddings API' }),
  EMBEDDINGS_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 300_000, default: 30_000, description: 'how long one call to the embeddings API may take' }),
  EMBEDDINGS_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 10, default: 4, description: 'attempts per batch when the API answers 429, 408 or 5xx, times out or refuses the connection' }),
  EMBEDDINGS_RETRY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 500, description: 'the first wait before retrying a batch; each next one doubles (at least what Retry-After asks)' }),
  EMBEDDINGS_RETRY_MAX_MS: Type.Integer({ minimum: 0, maximum: 300_000, default: 20_000, description: 'the longest wait between attempts, Retry-After included' }),
  EMBEDDINGS_PROBE_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 10_000, description: 'while the model fails, how often /ready asks it again' }),
});

export type MemoryConfig = Static<typeof memoryConfigSchema>;
