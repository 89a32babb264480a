import type { Kysely, Migration } from 'kysely';

/**
 * Facts over time: a memory is valid from its creation until it is superseded (`valid_to`), and
 * the two versions point at each other (`supersedes` on the new one, `superseded_by` on the old).
 * Existing memories are all current (no `valid_to`). An index on (organisation, valid_to) serves
 * the "current only" condition every read now carries.
 */
export const factsOverTimeMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const column of ['valid_to', 'supersedes', 'superseded_by']) await db.schema.alterTable('memories').addColumn(column, 'text').execute();
    await db.schema.createIndex('memories_org_valid_to').on('memories').columns(['organisation_id', 'valid_to']).execute();
  },
};
