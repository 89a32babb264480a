import type { Kysely } from 'kysely';
import type { MemoryTables } from '../tables.js';
import { filterCondition, type Dialect, type MemoryFilters } from './memory-filters.js';

export type SpaceRow = MemoryTables['memory_spaces'];

/** An organisation's conceptual spaces, and the memories placed in them. */
export function spacesStore(db: Kysely<MemoryTables>, dialect: Dialect) {
  return {
    insert: async (row: SpaceRow) => {
      await db.insertInto('memory_spaces').values(row).execute();
    },
    byName: (organisationId: string, name: string) => db.selectFrom('memory_spaces').selectAll().where('organisation_id', '=', organisationId).where('name', '=', name).executeTakeFirst(),
    byNames: async (organisationId: string, names: readonly string[]) =>
      names.length === 0 ? [] : db.selectFrom('memory_spaces').selectAll().where('organisation_id', '=', organisationId).where('name', 'in', [...names]).execute(),
    list: (organisationId: string) => db.selectFrom('memory_spaces').selectAll().where('organisation_id', '=', organisationId).orderBy('name').execute(),
    count: async (organisationId: string) => Number((await db.selectFrom('memory_spaces').select((eb) => eb.fn.countAll().as('count')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()).count),
    /** Removes the space and takes every memory out of it (the memories stay); false when there is none. */
    remove: async (organisationId: string, name: string) => {
      const deleted = Number((await db.deleteFrom('memory_spaces').where('organisation_id', '=', organisationId).where('name', '=', name).executeTakeFirst()).numDeletedRows) > 0;
      if (deleted) await db.updateTable('memories').set({ space: null, space_values: null }).where('organisation_id', '=', organisationId).where('space', '=', name).execute();
      return deleted;
    },
    eraseOrganisation: async (organisationId: string) => {
      await db.deleteFrom('memory_spaces').where('organisation_id', '=', organisationId).execute();
    },
    /** Every memory placed in the space that passes the filters: id and its JSON values. */
    placed: (organisationId: string, space: string, filters: MemoryFilters) =>
      db
        .selectFrom('memories')
        .select(['memories.id as id', 'memories.space_values as values'])
        .where('memories.organisation_id', '=', organisationId)
        .where('memories.space', '=', space)
        .where((eb) => filterCondition(eb, filters, dialect))
        .execute(),
  };
}
