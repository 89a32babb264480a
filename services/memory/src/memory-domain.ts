import type { Clock, Logger } from '@lift/kit';
import type { MemoryConfig } from './config.js';
import type { EmbeddingProvider } from './embedding/embedding-provider.js';
import type { ItemLimits } from './limits/item-limits.js';
import type { StoredCountReporter } from './limits/stored-count-reporter.js';
import type { ModuleAccessSource } from './module-access/module-memory-access.js';
import type { OrganisationWrites } from './organisation-writes.js';
import type { IndexChangeFeed } from './replicas/index-change-feed.js';
import type { MemoryStore } from './store/index.js';
import type { VectorIndex } from './vector-index/vector-index.js';

/** What the memory service's operations work with, built once in `buildApp`. */
export interface MemoryDomain {
  readonly config: MemoryConfig;
  readonly store: MemoryStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly embedder: EmbeddingProvider;
  readonly index: VectorIndex;
  /** Resolves once the index holds every stored vector; writes wait for it before touching the index. */
  readonly indexReady: Promise<void>;
  readonly limits: ItemLimits;
  /** Tells the other replicas (PostgreSQL + Redis) what this one changed in its index. */
  readonly indexFeed: IndexChangeFeed;
  /** What each module's manifest lets its delegated tokens do with memory. */
  readonly moduleAccess: ModuleAccessSource;
  /** One organisation's writes, one at a time (transaction and index update together). */
  readonly writes: OrganisationWrites;
  readonly storedCount: StoredCountReporter;
}
