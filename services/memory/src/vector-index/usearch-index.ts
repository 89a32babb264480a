import { Index, MetricKind, ScalarKind } from 'usearch';
import { vectorDigest, type VectorIndex } from './vector-index.js';

interface Entry {
  /** usearch keys are integers: a label per memory, fresh at each (re)insert, so a replaced vector never shares one. */
  readonly label: bigint;
  readonly digest: bigint;
}

interface Space {
  readonly index: Index;
  readonly entryOf: Map<string, Entry>;
  readonly idOf: Map<bigint, string>;
  nextLabel: bigint;
  /** The entries' digests folded by XOR (see vectorDigest). */
  fingerprint: bigint;
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

  const newSpace = (): Space => ({
    index: new Index({
        dimensions,
        metric: MetricKind.Cos,
        quantization: ScalarKind.I8,
        connectivity: options.connectivity ?? 24,
        expansion_add: options.expansionAdd ?? 48,
        expansion_search: options.expansionSearch ?? 192,
        multi: false,
    }),
    entryOf: new Map(),
    idOf: new Map(),
    nextLabel: 1n,
    fingerprint: 0n,
  });
  const spaceOf = (organisationId: string): Space => {
    const space = spaces.get(organisationId) ?? newSpace();
    spaces.set(organisationId, space);
    return space;
  };

  const removeFrom = (space: Space, ids: readonly string[]) => {
    const labels: bigint[] = [];
    for (const id of ids) {
      const entry = space.entryOf.get(id);
      if (entry === undefined) continue;
      labels.push(entry.label);
      space.entryOf.delete(id);
      space.idOf.delete(entry.label);
      space.fingerprint ^= entry.digest;
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
        const digest = vectorDigest(entry.id, new Uint8Array(entry.vector.buffer, entry.vector.byteOffset, entry.vector.byteLength));
        space.entryOf.set(entry.id, { label, digest });
        space.idOf.set(label, entry.id);
        space.fingerprint ^= digest;
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
      total -= space.entryOf.size;
      spaces.delete(organisationId);
    },
    search(organisationId, vector, k) {
      const space = spaces.get(organisationId);
      if (!space || space.entryOf.size === 0) return [];
      const matches = space.index.search(vector, Math.min(k, space.entryOf.size), 1);
      const hits: { id: string; similarity: number }[] = [];
      for (let position = 0; position < matches.keys.length; position += 1) {
        const id = space.idOf.get(matches.keys[position] as bigint);
        if (id !== undefined) hits.push({ id, similarity: 1 - (matches.distances[position] as number) });
      }
      return hits;
    },
    size: (organisationId) => spaces.get(organisationId)?.entryOf.size ?? 0,
    get total() {
      return total;
    },
    organisations: () => [...spaces.keys()],
    saveSpace(organisationId, file) {
      const space = spaceOf(organisationId);
      space.index.save(file);
      const entries = [...space.entryOf];
      return { ids: entries.map(([id]) => id), labels: entries.map(([, entry]) => Number(entry.label)), digests: entries.map(([, entry]) => entry.digest.toString(16)), fingerprint: space.fingerprint.toString(16) };
    },
    loadSpace(organisationId, file, saved) {
      const space = newSpace();
      space.index.load(file);
      saved.ids.forEach((id, position) => {
        const entry = { label: BigInt(saved.labels[position] as number), digest: BigInt(`0x${saved.digests[position] as string}`) };
        space.entryOf.set(id, entry);
        space.idOf.set(entry.label, id);
        space.fingerprint ^= entry.digest;
        if (entry.label >= space.nextLabel) space.nextLabel = entry.label + 1n;
      });
      if (space.index.size() !== space.entryOf.size || space.fingerprint.toString(16) !== saved.fingerprint) throw new Error(`the saved index of ${organisationId} does not match its entries`);
      total += space.entryOf.size - (spaces.get(organisationId)?.entryOf.size ?? 0);
      spaces.set(organisationId, space);
    },
  };
}
