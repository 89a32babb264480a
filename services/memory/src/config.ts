import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties, tokenVerificationConfigProperties } from '@lift/kit';

export const memoryConfigSchema = Type.Object({
  ...baseConfigProperties(8003),
  ...databaseConfigProperties(),
  ...tokenVerificationConfigProperties(),
  BILLING_SERVICE_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8002', description: 'where the plan\'s memory_items limit is read and the stored count is reported' }),
  REGISTRY_SERVICE_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8005', description: 'where what each module may do with memory (its manifest\'s memoryRequirements) is read' }),
  MODULE_ACCESS_REFRESH_MS: Type.Integer({ minimum: 1_000, maximum: 600_000, default: 10_000, description: 'how often the modules\' memory requirements are read again from the registry' }),
  MEMORY_LIMITS: Type.Boolean({ default: true, description: 'enforce the plan\'s hard memory_items limit and report the stored count to billing (needs the memory service\'s secret)' }),
  ENTITLEMENTS_CACHE_MS: Type.Integer({ minimum: 1_000, maximum: 3_600_000, default: 30_000, description: 'how long billing\'s answer about an organisation\'s plan is reused' }),
  MEMORY_OUTBOX_FILE: Type.String({ minLength: 1, default: 'data/lift.memory.outbox.db', description: 'without REDIS_URL: the file the stored-count events wait in until billing has them' }),
  INDEX_REBUILD_PAGE: Type.Integer({ minimum: 100, maximum: 100_000, default: 5_000, description: 'rows read per page while the vector index is rebuilt at start' }),
  INDEX_SNAPSHOT_DIR: Type.String({ default: '', description: 'a private directory, one per replica, where the vector index is saved at shutdown and loaded at start where it still matches the database (empty: always rebuild)' }),
});

export type MemoryConfig = Static<typeof memoryConfigSchema>;
