import { sql, type Kysely } from 'kysely';
import type { MemoryTables } from '../tables.js';
import { filterCondition, type Dialect, type MemoryFilters } from './memory-filters.js';

export interface FullTextHit {
  readonly id: string;
  /** Higher is better: -bm25 on SQLite, ts_rank_cd on PostgreSQL. */
  readonly score: number;
}

/**
 * Full-text search within one organisation: any of the words (OR), ranked by SQLite FTS5's bm25
 * (porter stemming) or PostgreSQL's ts_rank_cd over the english tsvector (normalised by document
 * length). `words` are letters and digits only (see search/query-words.ts), so they cannot be
 * query syntax on either side.
 */
export function fullTextStore(db: Kysely<MemoryTables>, dialect: Dialect) {
  return {
    search: async (organisationId: string, words: readonly string[], filters: MemoryFilters, limit: number): Promise<FullTextHit[]> => {
      if (words.length === 0) return [];
      if (dialect === 'sqlite') {
        const match = words.map((word) => `"${word}"`).join(' OR ');
        const rows = await db
          .selectFrom(sql<{ memory_id: string; organisation_id: string }>`memory_fts`.as('fts'))
          .innerJoin('memories', 'memories.id', 'fts.memory_id')
          .select(['memories.id as id', sql<number>`bm25(memory_fts)`.as('rank')])
          .where(sql<boolean>`memory_fts match ${match}`)
          .where('fts.organisation_id', '=', organisationId)
          .where('memories.organisation_id', '=', organisationId)
          .where((eb) => filterCondition(eb, filters, dialect))
          .orderBy('rank')
          .limit(limit)
          .execute();
        return rows.map((row) => ({ id: row.id, score: -Number(row.rank) }));
      }
      const query = sql`to_tsquery('english', ${words.join(' | ')})`;
      const rows = await db
        .selectFrom('memories')
        .select(['memories.id as id', sql<number>`ts_rank_cd(search_vector, ${query}, 1)`.as('rank')])
        .where('memories.organisation_id', '=', organisationId)
        .where(sql<boolean>`search_vector @@ ${query}`)
        .where((eb) => filterCondition(eb, filters, dialect))
        .orderBy('rank', 'desc')
        .orderBy('memories.id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ id: row.id, score: Number(row.rank) }));
    },
  };
}
