import { Index, MetricKind, ScalarKind } from 'usearch';
import type { VectorIndex } from './vector-index.js';

interface Space {
  readonly index: Index;
  /** usearch keys are integers: a label per memory, fresh at each (re)insert, so a replaced vector never shares one. */
  readonly labelOf: Map<string, bigint>;
  readonly idOf: Map<bigint, string>;
  nextLabel: bigint;
}

/**
 * HNSW from usearch (chosen over hnswlib-node and an exact scan by bench/memory/index-choice.ts):
 * batch inserts across threads, deletes, and i8-quantised vectors, which cut memory by four with
 * recall@10 still above 0.95 on the local embedder's vectors. Building the graph is most of an
 * ingestion's and a rebuild's time: expansion_add 48 (was 128) builds it about three times faster
 * at 100,000 vectors, and expansion_search 192 (was 128) buys the recall back for well under a
 * millisecond a query (bench/memory/memory-service.ts).
 */
export function usearchIndex(dimensions: number, options: { connectivity?: number; expansionAdd?: number; expansionSearch?: number } = {}): VectorIndex {
  const spaces = new Map<string, Space>();
  let total = 0;

  const spaceOf = (organisationId: string): Space => {
    let space = spaces.get(organisationId);
    if (!space) {
      const index = new Index({
        dimensions,
        metric: MetricKind.Cos,
        quantization: ScalarKind.I8,
        connectivity: options.connectivity ?? 24,
        expansion_add: options.expansionAdd ?? 48,
        expansion_search: options.expansionSearch ?? 192,
        multi: false,
      });
      space = { index, labelOf: new Map(), idOf: new Map(), nextLabel: 1n };
      spaces.set(organisationId, space);
    }
    return space;
  };

  const removeFrom = (space: Space, ids: readonly string[]) => {
    const labels: bigint[] = [];
    for (const id of ids) {
      const label = space.labelOf.get(id);
      if (label === undefined) continue;
      labels.push(label);
      space.labelOf.delete(id);
      space.idOf.delete(label);
    }
    if (labels.length > 0) {
      space.index.remove(BigUint64Array.from(labels));
      total -= labels.length;
    }
  };

  return {
    upsert(organisationId, entries) {
      if (entries.length === 0) return;
      const space = spaceOf(organisationId);
      removeFrom(space, entries.map((entry) => entry.id));
      const keys = new BigUint64Array(entries.length);
      const flat = new Float32Array(entries.length * dimensions);
      entries.forEach((entry, position) => {
        const label = space.nextLabel;
        space.nextLabel += 1n;
        keys[position] = label;
        space.labelOf.set(entry.id, label);
        space.idOf.set(label, entry.id);
        flat.set(entry.vector, position * dimensions);
      });
      space.index.add(keys, flat);
      total += entries.length;
    },
    remove(organisationId, ids) {
      const space = spaces.get(organisationId);
      if (space) removeFrom(space, ids);
    },
    dropOrganisation(organisationId) {
      const space = spaces.get(organisationId);
      if (!space) return;
      total -= space.labelOf.size;
      spaces.delete(organisationId);
    },
    search(organisationId, vector, k) {
      const space = spaces.get(organisationId);
      if (!space || space.labelOf.size === 0) return [];
      const matches = space.index.search(vector, Math.min(k, space.labelOf.size), 1);
      const hits: { id: string; similarity: number }[] = [];
      for (let position = 0; position < matches.keys.length; position += 1) {
        const id = space.idOf.get(matches.keys[position] as bigint);
        if (id !== undefined) hits.push({ id, similarity: 1 - (matches.distances[position] as number) });
      }
      return hits;
    },
    size: (organisationId) => spaces.get(organisationId)?.labelOf.size ?? 0,
    get total() {
      return total;
    },
  };
}
