import { randomUUID } from 'node:crypto';
import { followStream, type Clock, type Logger, type SharedState, type StreamFollower } from '@lift/kit';
import type { OrganisationWrites } from '../organisation-writes.js';
import type { MemoryStore } from '../store/index.js';
import { vectorFromBytes, type VectorIndex } from '../vector-index/vector-index.js';

/** The stream every replica's index changes go through (under REDIS_KEY_PREFIX). */
export const indexChangeStream = 'memory-index';
// Enough for any replica that follows at all; one that falls further behind rebuilds at restart.
const keptChanges = 100_000;

export interface IndexChange {
  readonly upserted?: readonly string[];
  readonly removed?: readonly string[];
  /** The organisation's whole space is gone (erase). */
  readonly dropped?: boolean;
}

export interface IndexChangeFeed {
  /** After this replica changed its index for an organisation: the other replicas do the same. */
  changed(organisationId: string, change: IndexChange): void;
  stop(): void;
}

/** One process, or state that is not shared (no Redis): there is nobody to tell. */
export const noOtherReplicas: IndexChangeFeed = { changed: () => undefined, stop: () => undefined };

export interface IndexChangeFeedOptions {
  readonly state: SharedState;
  readonly store: MemoryStore;
  readonly index: VectorIndex;
  /** The model whose vectors the index holds: a vector of another is never put in it. */
  readonly model: () => string;
  /** Changes are applied once the index is complete (those during the rebuild right after it). */
  readonly indexReady: Promise<void>;
  /** Applied in the organisation's write turn, so no local write falls between a read and its index update. */
  readonly writes: OrganisationWrites;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Keeps every replica's vector index following the writes of all: each replica appends what it
 * changed to a stream every replica reads whole (the kit's broadcast follower, not a consumer
 * group, which would give each change to one replica only). A change names ids, not vectors: the
 * follower reads the rows as they are now, so changes applied late or twice, or out of order
 * across replicas, still leave the index equal to the table. Call it before the index is rebuilt:
 * it starts after the stream's newest entry, so nothing written during the rebuild is missed.
 */
export async function startIndexChangeFeed(options: IndexChangeFeedOptions): Promise<IndexChangeFeed> {
  const replica = randomUUID();
  const { state, store, index, log } = options;
  const follower: StreamFollower = followStream({
    state,
    stream: indexChangeStream,
    from: { afterId: await state.lastStreamId(indexChangeStream) },
    clock: options.clock,
    log,
    what: 'the other replicas\' index changes',
    apply: async (entry) => {
      if (entry.fields.replica === replica) return;
      await options.indexReady;
      const organisationId = entry.fields.organisation as string;
      const change = JSON.parse(entry.fields.change ?? '{}') as IndexChange;
      await options.writes.run(organisationId, async () => {
        // An erase heard late may come after this replica stored new memories: the space is
        // rebuilt from what the table holds now, not just dropped (the review lost a write so).
        if (change.dropped) await rebuildOrganisation(organisationId);
        if (change.removed?.length) index.remove(organisationId, change.removed);
        if (change.upserted?.length) await upsertAsStored(organisationId, change.upserted);
      });
    },
  });

  const rebuildOrganisation = async (organisationId: string): Promise<void> => {
    const rows = await store.memories.vectorsOfOrganisation(organisationId, options.model());
    index.dropOrganisation(organisationId);
    if (rows.length > 0) index.upsert(organisationId, rows.map((row) => ({ id: row.id, vector: vectorFromBytes(row.embedding) })));
  };

  const upsertAsStored = async (organisationId: string, ids: readonly string[]): Promise<void> => {
    const rows = await store.memories.byIds(organisationId, ids);
    const current = rows.filter((row) => row.embedding_model === options.model());
    index.upsert(organisationId, current.map((row) => ({ id: row.id, vector: vectorFromBytes(row.embedding) })));
    const kept = new Set(current.map((row) => row.id));
    const gone = ids.filter((id) => !kept.has(id));
    if (gone.length > 0) index.remove(organisationId, gone);
  };

  return {
    changed(organisationId, change) {
      state.appendToStream(indexChangeStream, { replica, organisation: organisationId, change: JSON.stringify(change) }, { maxLength: keptChanges }).catch((error: unknown) => {
        // The others miss this change until they restart (the rebuild reads the table).
        log.warn({ err: error, organisationId }, 'telling the other replicas of an index change failed');
      });
    },
    stop: () => follower.stop(),
  };
}
