import { sql, type Kysely } from 'kysely';
import { transactionalStore, type TransactionalStore } from '@lift/kit';
import type { MemoryTables } from '../tables.js';
import { embeddingsStore } from './embeddings-store.js';
import { fullTextStore } from './fulltext-store.js';
import { memoriesStore } from './memories-store.js';
import type { Dialect } from './memory-filters.js';
import { relationsStore } from './relations-store.js';
import { spacesStore } from './spaces-store.js';
import { statsStore } from './stats-store.js';

export type { MemoryRow, MemoryChanges, ListPosition } from './memories-store.js';
export type { RelationRow } from './relations-store.js';
export type { FullTextHit } from './fulltext-store.js';
export type { SpaceRow } from './spaces-store.js';
export type { EmbeddingPosition } from './embeddings-store.js';
export type { MemoryFilters, Dialect, Validity } from './memory-filters.js';

function memoryQueries(db: Kysely<MemoryTables>, dialect: Dialect) {
  return { memories: memoriesStore(db, dialect), relations: relationsStore(db), fullText: fullTextStore(db, dialect), stats: statsStore(db), spaces: spacesStore(db, dialect), embeddings: embeddingsStore(db) };
}

export type MemoryQueries = ReturnType<typeof memoryQueries>;
/** The memory service's one storage seam: every query, per aggregate, and `transaction` to run several atomically. */
export type MemoryStore = TransactionalStore<MemoryQueries>;

export function memoryStore(db: Kysely<MemoryTables>, dialect: Dialect): MemoryStore {
  return transactionalStore(db, (connection) => memoryQueries(connection, dialect));
}

/**
 * Connection settings the memory tables need on SQLite. The default page cache (2 MB) is smaller
 * than the random-keyed indexes (memory and tag primary keys on uuids) at 100,000 memories, so
 * each batch insert re-read their pages; 32 MB holds them. Durability is unchanged.
 */
export async function tuneMemoryConnection(db: Kysely<MemoryTables>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await sql`pragma cache_size = -32768`.execute(db);
}
