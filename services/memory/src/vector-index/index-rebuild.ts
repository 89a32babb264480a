import type { Logger } from '@lift/kit';
import type { MemoryStore } from '../store/index.js';
import { vectorFromBytes, type VectorIndex } from './vector-index.js';

/**
 * Fills the index from every stored vector, a page at a time (each page one batch insert per
 * organisation), logging progress. The index lives in memory only: the database is the truth,
 * so a restart or a replica rebuilds rather than trusting a file that may be stale.
 */
export async function rebuildIndex(store: MemoryStore, index: VectorIndex, log: Logger, pageSize: number): Promise<void> {
  const started = performance.now();
  let after: { organisationId: string; id: string } | undefined;
  let loaded = 0;
  let lastLog = started;
  for (;;) {
    const rows = await store.memories.vectorsPage(after, pageSize);
    const byOrganisation = new Map<string, { id: string; vector: Float32Array }[]>();
    for (const row of rows) {
      const entries = byOrganisation.get(row.organisation_id) ?? [];
      entries.push({ id: row.id, vector: vectorFromBytes(row.embedding) });
      byOrganisation.set(row.organisation_id, entries);
    }
    for (const [organisationId, entries] of byOrganisation) index.upsert(organisationId, entries);
    loaded += rows.length;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) break;
    after = { organisationId: last.organisation_id, id: last.id };
    if (performance.now() - lastLog > 2_000) {
      lastLog = performance.now();
      log.info({ loaded, elapsedMs: Math.round(lastLog - started) }, 'rebuilding the vector index');
    }
  }
  log.info({ vectors: loaded, elapsedMs: Math.round(performance.now() - started) }, 'the vector index is rebuilt');
}
