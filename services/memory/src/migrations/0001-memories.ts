import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * Memories, their tags and relations, and the full-text index: an FTS5 table (porter stemming)
 * on SQLite, a stored generated `tsvector` (english configuration) with a GIN index on PostgreSQL.
 */
export const memoriesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('memories')
      .addColumn('id', 'text', (column) => column.notNull())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('type', 'text', (column) => column.notNull())
      .addColumn('content', 'text', (column) => column.notNull())
      .addColumn('tags', 'text', (column) => column.notNull())
      .addColumn('metadata', 'text', (column) => column.notNull())
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('embedding', sqlite ? 'blob' : 'bytea', (column) => column.notNull())
      .addColumn('embedding_model', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      // Organisation first: every query names it, so lookups by id, pages of the index rebuild and
      // the full-text join all use this one key (an id-only key lost to the organisation indexes in SQLite's planner).
      .addPrimaryKeyConstraint('memories_pkey', ['organisation_id', 'id'])
      .execute();
    await db.schema.createIndex('memories_org_created').on('memories').columns(['organisation_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('memories_org_type').on('memories').columns(['organisation_id', 'type']).execute();
    await db.schema.createIndex('memories_org_source').on('memories').columns(['organisation_id', 'source']).execute();
    await db.schema
      .createTable('memory_tags')
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('memory_id', 'text', (column) => column.notNull())
      .addColumn('tag', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('memory_tags_pkey', ['memory_id', 'tag'])
      .execute();
    await db.schema.createIndex('memory_tags_org_tag').on('memory_tags').columns(['organisation_id', 'tag']).execute();
    await db.schema
      .createTable('memory_relations')
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('source_id', 'text', (column) => column.notNull())
      .addColumn('predicate', 'text', (column) => column.notNull())
      .addColumn('target_id', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('memory_relations_pkey', ['organisation_id', 'source_id', 'predicate', 'target_id'])
      .execute();
    await db.schema.createIndex('memory_relations_target').on('memory_relations').columns(['organisation_id', 'target_id']).execute();
    if (sqlite) {
      // Its own copy of the text (not external content): rows are written and deleted beside the memory's, in one transaction.
      await sql`create virtual table memory_fts using fts5(memory_id unindexed, organisation_id unindexed, content, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db);
    } else {
      await sql`alter table memories add column search_vector tsvector generated always as (to_tsvector('english', content)) stored`.execute(db);
      await sql`create index memories_search_vector on memories using gin (search_vector)`.execute(db);
    }
  },
};
