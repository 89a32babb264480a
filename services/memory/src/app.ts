import { authPlugin, createService, readyOnceDone, serviceTokenVerifier, type DatabaseServiceDeps, type EventPublisher, type ServiceApp } from '@lift/kit';
import type { MemoryConfig } from './config.js';
import type { EmbeddingProvider } from './embedding/embedding-provider.js';
import { embedderFor } from './embedding/embedder-selection.js';
import { embeddingsReadiness } from './embedding/embeddings-readiness.js';
import { reEmbedding, type ReEmbedding } from './embedding/re-embedding.js';
import type { ItemLimits } from './limits/item-limits.js';
import { memoryServiceTokens, startMemoryLimits } from './limits/limits-setup.js';
import { moduleAccessFor } from './module-access/module-access-setup.js';
import type { ModuleAccessSource } from './module-access/module-memory-access.js';
import { organisationWrites } from './organisation-writes.js';
import { noOtherReplicas, startIndexChangeFeed } from './replicas/index-change-feed.js';
import type { MemoryDomain } from './memory-domain.js';
import { insightRoutes } from './routes/insight-routes.js';
import { memoryRoutes } from './routes/memory-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { spaceRoutes } from './routes/space-routes.js';
import { memoryIdentity } from './service-identity.js';
import { memoryStore, tuneMemoryConnection } from './store/index.js';
import type { MemoryTables } from './tables.js';
import { rebuildIndex } from './vector-index/index-rebuild.js';
import { saveSnapshot } from './vector-index/index-snapshot.js';
import { usearchIndex } from './vector-index/usearch-index.js';

export type { MemoryTables };
export type MemoryDeps = DatabaseServiceDeps<MemoryConfig, MemoryTables> & {
  /** Unless given, the one the configuration names (EMBEDDINGS_URL: remote, else local). */
  readonly embedder?: EmbeddingProvider;
  /** Tests pass the plan's limits instead of asking billing. */
  readonly limits?: ItemLimits;
  /** Tests capture the stored-count events instead of sending them to billing. */
  readonly usageEvents?: EventPublisher;
  /** Tests say what modules may do instead of asking the registry. */
  readonly moduleAccess?: ModuleAccessSource;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** Vectors the index holds for an organisation (tests prove erase and rebuild with it). */
    indexedVectors(organisationId: string): number;
    /** The background re-embedding after a model change (tests wait for it with `settled()`). */
    reEmbedding: ReEmbedding;
  }
}

export async function buildApp(deps: MemoryDeps): Promise<ServiceApp> {
  const { config } = deps;
  // Before anything is built: a missing or short HS256 secret is a configuration error.
  const verifier = serviceTokenVerifier(config, deps.clock);
  const selected = deps.embedder ? { embedder: deps.embedder } : embedderFor(config, deps);
  const { embedder } = selected;
  const index = usearchIndex(embedder.dimensions);
  const store = memoryStore(deps.database.db, deps.database.location.dialect);
  await tuneMemoryConnection(deps.database.db, deps.database.location.dialect);
  // One token source for all memory asks as itself (billing, the registry): one grant, one cache.
  const serviceTokens = memoryServiceTokens(deps);
  const limits = await startMemoryLimits(deps, serviceTokens, { limits: deps.limits, publisher: deps.usageEvents });
  let indexBuilt: () => void = () => undefined;
  let indexComplete = false;
  const indexReady = new Promise<void>((resolve) => (indexBuilt = resolve));
  // With shared state (Redis), replicas follow each other's index changes; started before the
  // rebuild, so what is written while it runs is applied after it.
  const writes = organisationWrites();
  const indexFeed =
    deps.state.kind === 'redis' ? await startIndexChangeFeed({ state: deps.state, store, index, model: () => embedder.model, indexReady, writes, clock: deps.clock, log: deps.log }) : noOtherReplicas;
  const domain: MemoryDomain = {
    config,
    store,
    clock: deps.clock,
    log: deps.log,
    embedder,
    index,
    indexReady,
    limits: limits.limits,
    storedCount: limits.storedCount,
    writes,
    moduleAccess: deps.moduleAccess ?? moduleAccessFor(deps, serviceTokens),
    indexFeed,
  };

  const reEmbedder = reEmbedding({ store, index, embedder, writes: domain.writes, log: deps.log, pageSize: config.EMBEDDINGS_BATCH_SIZE, retryFirstMs: Math.max(config.EMBEDDINGS_RETRY_MS, 1), retryMaxMs: Math.max(config.EMBEDDINGS_RETRY_MAX_MS, 1), indexed: (organisationId, ids) => indexFeed.changed(organisationId, { upserted: ids }) });

  const app = await createService({ identity: memoryIdentity, config, log: deps.log, clock: deps.clock, tracing: deps.tracing });
  await app.register(authPlugin, { verifier });
  await memoryRoutes(app, domain);
  await searchRoutes(app, domain);
  await insightRoutes(app, domain, reEmbedder);
  await spaceRoutes(app, domain);
  if (selected.remote) app.readiness.add(embeddingsReadiness(selected.remote, deps.clock, config.EMBEDDINGS_PROBE_MS));
  app.decorate('indexedVectors', (organisationId: string) => index.size(organisationId));
  app.decorate('reEmbedding', reEmbedder);

  // /ready names `index` until every stored vector is in it.
  readyOnceDone(app, {
    name: 'index',
    after: deps.database.migrated,
    work: async () => {
      await rebuildIndex(store, index, deps.log, { pageSize: config.INDEX_REBUILD_PAGE, snapshotDirectory: config.INDEX_SNAPSHOT_DIR, dimensions: embedder.dimensions, model: embedder.model });
      indexComplete = true;
      indexBuilt();
      // After the index: re-embedded vectors join it, and it must not be half built then.
      reEmbedder.start();
    },
    log: deps.log,
    failure: 'rebuilding the vector index failed',
  });
  app.addHook('onClose', () => indexFeed.stop());
  app.addHook('onClose', async () => {
    await reEmbedder.stop();
    // Only a complete index is worth saving. Writes still queued are let through first; one that
    // slips past would only make its organisation's space mismatch, and be rebuilt, at the next start.
    if (config.INDEX_SNAPSHOT_DIR && indexComplete) {
      await Promise.all(index.organisations().map((organisationId) => domain.writes.run(organisationId, async () => undefined)));
      try {
        deps.log.info({ spaces: saveSnapshot(index, config.INDEX_SNAPSHOT_DIR, embedder.dimensions) }, 'the vector index is saved');
      } catch (error) {
        // Shutdown goes on: without a snapshot the next start rebuilds from the database.
        deps.log.warn({ err: error }, 'the vector index could not be saved');
      }
    }
    await limits.close();
  });
  return app;
}
