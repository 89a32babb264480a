import type { Kysely } from 'kysely';
import type { MemoryTables } from '../tables.js';

export type RelationRow = MemoryTables['memory_relations'];

/** Relations between memories of one organisation (the knowledge graph's edges). */
export function relationsStore(db: Kysely<MemoryTables>) {
  return {
    insert: async (rows: readonly RelationRow[]) => {
      if (rows.length === 0) return;
      await db.insertInto('memory_relations').values([...rows]).onConflict((conflict) => conflict.columns(['organisation_id', 'source_id', 'predicate', 'target_id']).doNothing()).execute();
    },
    /** Replaces the memory's outgoing relations. */
    replaceFrom: async (organisationId: string, sourceId: string, rows: readonly RelationRow[]) => {
      await db.deleteFrom('memory_relations').where('organisation_id', '=', organisationId).where('source_id', '=', sourceId).execute();
      if (rows.length > 0) await db.insertInto('memory_relations').values([...rows]).onConflict((conflict) => conflict.columns(['organisation_id', 'source_id', 'predicate', 'target_id']).doNothing()).execute();
    },
    outgoing: (organisationId: string, sourceIds: readonly string[]) =>
      sourceIds.length === 0 ? Promise.resolve([]) : db.selectFrom('memory_relations').selectAll().where('organisation_id', '=', organisationId).where('source_id', 'in', [...sourceIds]).orderBy('created_at').execute(),
    /** Edges to the memory (what links to it). */
    incoming: (organisationId: string, targetId: string) => db.selectFrom('memory_relations').selectAll().where('organisation_id', '=', organisationId).where('target_id', '=', targetId).execute(),
    /** Edges touching any of `ids`, either way; `predicate` narrows them, `createdBy` leaves out those made after it. */
    touching: (organisationId: string, ids: readonly string[], predicate?: string, createdBy?: string) => {
      if (ids.length === 0) return Promise.resolve([]);
      let query = db
        .selectFrom('memory_relations')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where((eb) => eb.or([eb('source_id', 'in', [...ids]), eb('target_id', 'in', [...ids])]));
      if (predicate !== undefined) query = query.where('predicate', '=', predicate);
      if (createdBy !== undefined) query = query.where('created_at', '<=', createdBy);
      return query.orderBy('created_at').orderBy('source_id').orderBy('target_id').execute();
    },
  };
}
