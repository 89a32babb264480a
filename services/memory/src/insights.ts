import type { ReEmbedding } from './embedding/re-embedding.js';
import type { MemoryDomain } from './memory-domain.js';

const dayMs = 86_400_000;

/** Counts by type, tag and source, recent activity, storage used and re-embedding, for the organisation. */
export async function memoryStats(domain: MemoryDomain, organisationId: string, reEmbedder: ReEmbedding) {
  const now = domain.clock.now();
  const since = (days: number) => new Date(now - days * dayMs).toISOString();
  const [total, byType, bySource, topTags, relations, perDay, updatedLastDay, updatedLastWeek, bytes, staleVectors] = await Promise.all([
    domain.store.memories.count(organisationId),
    domain.store.stats.countsBy(organisationId, 'type'),
    domain.store.stats.countsBy(organisationId, 'source'),
    domain.store.stats.tagCounts(organisationId, 50),
    domain.store.stats.relationCount(organisationId),
    domain.store.stats.createdPerDay(organisationId, since(30)),
    domain.store.stats.updatedSince(organisationId, since(1)),
    domain.store.stats.updatedSince(organisationId, since(7)),
    domain.store.stats.storedBytes(organisationId),
    domain.store.embeddings.staleCount(domain.embedder.model, organisationId),
  ]);
  return {
    total,
    relations,
    byType,
    bySource,
    topTags,
    recentActivity: { createdPerDay: perDay, changedLastDay: updatedLastDay, changedLastWeek: updatedLastWeek },
    storage: { ...bytes, totalBytes: bytes.content + bytes.metadata + bytes.vectors, indexedVectors: domain.index.size(organisationId) },
    embeddingModel: domain.embedder.model,
    reEmbedding: { state: reEmbedder.progress().state, pending: staleVectors },
  };
}
