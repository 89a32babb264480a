import type { Kysely, Migration } from 'kysely';

/**
 * Facts over time: a memory is valid from its creation until it is superseded (`valid_to`), and
 * the two versions point at each other (`supersedes` on the new one, `superseded_by` on the old).
 * Existing memories are all current (no `valid_to`). No index on (organisation, valid_to): with
 * it, SQLite's planner answered "these ids, current only" by scanning every current memory of the
 * organisation instead of the primary key (neural search at 100,000 memories went from 3 ms to
 * 175 ms); nearly every memory is current, so such an index would filter out almost nothing.
 */
export const factsOverTimeMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const column of ['valid_to', 'supersedes', 'superseded_by']) await db.schema.alterTable('memories').addColumn(column, 'text').execute();
  },
};
