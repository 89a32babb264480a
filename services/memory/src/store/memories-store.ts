import { sql, type Kysely } from 'kysely';
import type { MemoryTables } from '../tables.js';
import { filterCondition, type Dialect, type MemoryFilters } from './memory-filters.js';

export type MemoryRow = MemoryTables['memories'];
export type MemoryChanges = Partial<Pick<MemoryRow, 'type' | 'content' | 'tags' | 'metadata' | 'embedding' | 'embedding_model' | 'user_id' | 'session_id' | 'space' | 'space_values'>> & Pick<MemoryRow, 'updated_at'>;

/** Where a page of the list starts: after this (created_at, id), newest first. */
export interface ListPosition {
  readonly createdAt: string;
  readonly id: string;
}

// Fewer bound parameters per statement than SQLite's 32,766 (15 columns a row).
const rowsPerInsert = 500;

/** Memories, their tag rows and (on SQLite) their full-text rows: written and removed together. */
export function memoriesStore(db: Kysely<MemoryTables>, dialect: Dialect) {
  const writeFullText = async (rows: readonly Pick<MemoryRow, 'id' | 'organisation_id' | 'content'>[]) => {
    if (dialect !== 'sqlite' || rows.length === 0) return;
    for (let start = 0; start < rows.length; start += rowsPerInsert) {
      const values = rows.slice(start, start + rowsPerInsert).map((row) => sql`(${row.id}, ${row.organisation_id}, ${row.content})`);
      await sql`insert into memory_fts (memory_id, organisation_id, content) values ${sql.join(values)}`.execute(db);
    }
  };
  const removeFullText = async (ids: readonly string[]) => {
    if (dialect !== 'sqlite' || ids.length === 0) return;
    await sql`delete from memory_fts where memory_id in (${sql.join(ids)})`.execute(db);
  };
  const tagRows = (row: Pick<MemoryRow, 'id' | 'organisation_id' | 'tags'>) => (JSON.parse(row.tags) as string[]).map((tag) => ({ organisation_id: row.organisation_id, memory_id: row.id, tag }));

  return {
    insert: async (rows: readonly MemoryRow[]) => {
      for (let start = 0; start < rows.length; start += rowsPerInsert) await db.insertInto('memories').values(rows.slice(start, start + rowsPerInsert)).execute();
      const tags = rows.flatMap(tagRows);
      for (let start = 0; start < tags.length; start += rowsPerInsert * 3) await db.insertInto('memory_tags').values(tags.slice(start, start + rowsPerInsert * 3)).execute();
      await writeFullText(rows);
    },

    byId: (organisationId: string, id: string) => db.selectFrom('memories').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst(),

    /** The given memories of the organisation that pass the filters, in no particular order. */
    byIds: async (organisationId: string, ids: readonly string[], filters: MemoryFilters = {}) => {
      if (ids.length === 0) return [];
      return db
        .selectFrom('memories')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', 'in', [...ids])
        .where((eb) => filterCondition(eb, filters, dialect))
        .execute();
    },

    /** Which of `ids` are memories of the organisation. */
    existingIds: async (organisationId: string, ids: readonly string[]) => {
      if (ids.length === 0) return new Set<string>();
      const rows = await db.selectFrom('memories').select('id').where('organisation_id', '=', organisationId).where('id', 'in', [...ids]).execute();
      return new Set(rows.map((row) => row.id));
    },

    /** Newest first, `limit` rows after `after`. */
    list: (organisationId: string, filters: MemoryFilters, after: ListPosition | undefined, limit: number) => {
      let query = db
        .selectFrom('memories')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where((eb) => filterCondition(eb, filters, dialect));
      if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
      return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },

    update: async (organisationId: string, id: string, changes: MemoryChanges) => {
      await db.updateTable('memories').set(changes).where('organisation_id', '=', organisationId).where('id', '=', id).execute();
      if (changes.tags !== undefined) {
        await db.deleteFrom('memory_tags').where('memory_id', '=', id).execute();
        const tags = tagRows({ id, organisation_id: organisationId, tags: changes.tags });
        if (tags.length > 0) await db.insertInto('memory_tags').values(tags).execute();
      }
      if (changes.content !== undefined) {
        await removeFullText([id]);
        await writeFullText([{ id, organisation_id: organisationId, content: changes.content }]);
      }
    },

    /**
     * Marks a current memory superseded by `byId` at `at` (its validity ends then); false when it
     * is not current any more (superseded meanwhile), so two supersessions of one fact cannot both win.
     */
    markSuperseded: async (organisationId: string, id: string, byId: string, at: string) =>
      Number((await db.updateTable('memories').set({ valid_to: at, superseded_by: byId, updated_at: at }).where('organisation_id', '=', organisationId).where('id', '=', id).where('valid_to', 'is', null).executeTakeFirst()).numUpdatedRows) > 0,

    /** The memory, its tags, full-text row and every relation from or to it; false when there is none. */
    /**
     * Holds the organisation's write lock until the caller's transaction ends (PostgreSQL: an
     * advisory lock, so replicas too take turns counting and inserting); SQLite writes are one at
     * a time already. Call it first in a write's transaction.
     */
    lockForWrites: async (organisationId: string): Promise<void> => {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`lift.memory:${organisationId}`}))`.execute(db);
    },

    remove: async (organisationId: string, id: string) => {
      const removed = await db.selectFrom('memories').select('valid_to').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
      const deleted = Number((await db.deleteFrom('memories').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
      if (!removed || !deleted) return false;
      await db.deleteFrom('memory_tags').where('memory_id', '=', id).execute();
      await db.deleteFrom('memory_relations').where('organisation_id', '=', organisationId).where((eb) => eb.or([eb('source_id', '=', id), eb('target_id', '=', id)])).execute();
      // The version it replaced points at it no more. Deleting the current version undoes its
      // supersession: the one it replaced is current again (else the fact would have no current
      // version, and nothing could ever supersede or change it). A middle version's predecessor
      // stays superseded, as it was.
      await db
        .updateTable('memories')
        .set(removed.valid_to === null ? { superseded_by: null, valid_to: null } : { superseded_by: null })
        .where('organisation_id', '=', organisationId)
        .where('superseded_by', '=', id)
        .execute();
      await db.updateTable('memories').set({ supersedes: null }).where('organisation_id', '=', organisationId).where('supersedes', '=', id).execute();
      await removeFullText([id]);
      return true;
    },

    count: async (organisationId: string) => Number((await db.selectFrom('memories').select((eb) => eb.fn.countAll().as('count')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()).count),

    /** One page of every organisation's vectors of `model`, by (organisation, id): what the index is rebuilt from. */
    vectorsPage: (after: { organisationId: string; id: string } | undefined, limit: number, model: string) => {
      // One model's vectors only: another's are another space (and maybe another length), never mixed in.
      let query = db.selectFrom('memories').select(['organisation_id', 'id', 'embedding']).where('embedding_model', '=', model);
      // A row-value comparison (both databases have them) walks the primary key; an OR of two conditions would not.
      if (after) query = query.where((eb) => eb(eb.refTuple('organisation_id', 'id'), '>', eb.tuple(after.organisationId, after.id)));
      return query.orderBy('organisation_id').orderBy('id').limit(limit).execute();
    },

    /** One organisation's vectors of one model: what a replica re-reads after another's erase notice. */
    vectorsOfOrganisation: (organisationId: string, model: string) =>
      db.selectFrom('memories').select(['id', 'embedding']).where('organisation_id', '=', organisationId).where('embedding_model', '=', model).execute(),

    /** Everything the organisation stored; how many memories that was. */
    eraseOrganisation: async (organisationId: string) => {
      const deleted = Number((await db.deleteFrom('memories').where('organisation_id', '=', organisationId).executeTakeFirst()).numDeletedRows);
      await db.deleteFrom('memory_tags').where('organisation_id', '=', organisationId).execute();
      await db.deleteFrom('memory_relations').where('organisation_id', '=', organisationId).execute();
      if (dialect === 'sqlite') await sql`delete from memory_fts where organisation_id = ${organisationId}`.execute(db);
      return deleted;
    },

    /** What is left of the organisation in each table (erase's proof). */
    residue: async (organisationId: string) => {
      const countOf = async (table: 'memories' | 'memory_tags' | 'memory_relations') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('count')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()).count);
      const fullText = dialect === 'sqlite' ? Number((await sql<{ count: number }>`select count(*) as count from memory_fts where organisation_id = ${organisationId}`.execute(db)).rows[0]?.count ?? 0) : await countOf('memories');
      return { memories: await countOf('memories'), tags: await countOf('memory_tags'), relations: await countOf('memory_relations'), fullText };
    },
  };
}
