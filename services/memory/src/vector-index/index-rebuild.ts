import type { Logger } from '@lift/kit';
import type { MemoryStore } from '../store/index.js';
import { takeSnapshot, type SnapshotSpace } from './index-snapshot.js';
import { vectorDigest, vectorFromBytes, type VectorIndex } from './vector-index.js';

type VectorRow = Awaited<ReturnType<MemoryStore['memories']['vectorsPage']>>[number];

/** Every stored vector of `model`, a page at a time, in (organisation, id) order. */
async function eachVectorPage(store: MemoryStore, pageSize: number, model: string, visit: (rows: VectorRow[]) => void): Promise<void> {
  let after: { organisationId: string; id: string } | undefined;
  for (;;) {
    const rows = await store.memories.vectorsPage(after, pageSize, model);
    visit(rows);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = { organisationId: last.organisation_id, id: last.id };
  }
}

/** Each organisation's stored vectors as a snapshot's fingerprint sums them. */
async function storedFingerprints(store: MemoryStore, pageSize: number, model: string): Promise<Map<string, { count: number; fingerprint: bigint }>> {
  const fingerprints = new Map<string, { count: number; fingerprint: bigint }>();
  await eachVectorPage(store, pageSize, model, (rows) => {
    for (const row of rows) {
      const sum = fingerprints.get(row.organisation_id) ?? { count: 0, fingerprint: 0n };
      sum.count += 1;
      sum.fingerprint ^= vectorDigest(row.id, row.embedding);
      fingerprints.set(row.organisation_id, sum);
    }
  });
  return fingerprints;
}

/** The organisations whose saved space holds exactly the vectors the database holds now, loaded. */
async function loadMatchingSpaces(store: MemoryStore, index: VectorIndex, log: Logger, pageSize: number, model: string, saved: Map<string, SnapshotSpace>): Promise<{ loaded: Set<string>; complete: boolean }> {
  const stored = await storedFingerprints(store, pageSize, model);
  const loaded = new Set<string>();
  for (const [organisationId, space] of saved) {
    const now = stored.get(organisationId);
    if (!now || now.count !== space.ids.length || now.fingerprint.toString(16) !== space.fingerprint) continue;
    try {
      index.loadSpace(organisationId, space.file, space);
      loaded.add(organisationId);
    } catch (error) {
      log.warn({ err: error, organisationId }, 'a saved index space could not be loaded; it is rebuilt');
    }
  }
  return { loaded, complete: [...stored.keys()].every((organisationId) => loaded.has(organisationId)) };
}

/**
 * Fills the index at start with the vectors of the current model (`model`): one of another model
 * waits for re-embedding, and full text finds its memory meanwhile. With a snapshot directory, each organisation whose saved space still
 * matches the database (same count and fingerprint of ids and vector bytes) is loaded as saved;
 * the database is the truth, so any other is rebuilt from every stored vector, a page at a time
 * (each page one batch insert per organisation), logging progress.
 */
export async function rebuildIndex(store: MemoryStore, index: VectorIndex, log: Logger, options: { pageSize: number; snapshotDirectory?: string; dimensions: number; model: string }): Promise<void> {
  const started = performance.now();
  const { pageSize } = options;
  let skip = new Set<string>();
  if (options.snapshotDirectory) {
    const snapshot = takeSnapshot(options.snapshotDirectory, options.dimensions);
    try {
      if (snapshot.spaces.size > 0) {
        const { loaded, complete } = await loadMatchingSpaces(store, index, log, pageSize, options.model, snapshot.spaces);
        log.info({ loaded: loaded.size, saved: snapshot.spaces.size, elapsedMs: Math.round(performance.now() - started) }, 'saved index spaces that match the database are loaded');
        skip = loaded;
        if (complete) return log.info({ vectors: index.total, elapsedMs: Math.round(performance.now() - started) }, 'the vector index is rebuilt');
      }
    } finally {
      snapshot.discard();
    }
  }
  let loaded = 0;
  let lastLog = started;
  await eachVectorPage(store, pageSize, options.model, (rows) => {
    const byOrganisation = new Map<string, { id: string; vector: Float32Array }[]>();
    for (const row of rows) {
      if (skip.has(row.organisation_id)) continue;
      const entries = byOrganisation.get(row.organisation_id) ?? [];
      entries.push({ id: row.id, vector: vectorFromBytes(row.embedding) });
      byOrganisation.set(row.organisation_id, entries);
    }
    for (const [organisationId, entries] of byOrganisation) index.upsert(organisationId, entries);
    loaded += rows.length;
    if (performance.now() - lastLog > 2_000) {
      lastLog = performance.now();
      log.info({ loaded, elapsedMs: Math.round(lastLog - started) }, 'rebuilding the vector index');
    }
  });
  log.info({ vectors: index.total, elapsedMs: Math.round(performance.now() - started) }, 'the vector index is rebuilt');
}
