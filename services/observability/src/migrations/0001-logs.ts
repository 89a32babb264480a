import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * Log lines and their search index. SQLite: `id` is the rowid and time-keyed (log-ids.ts), so
 * "newest first" is the rowid order the table, its indexes and the FTS5 index all walk backwards
 * without sorting; FTS5 over `msg` reads its text from the table (external content) and keeps no
 * positions (`detail=none`: words only, which is all a search asks). PostgreSQL: an identity `id`
 * after `time_ms` in every index, and a GIN index over a stored `tsvector` of `msg` with its
 * punctuation made spaces, so both backends cut words alike ("GET /v1/memories" → get, v1, memories).
 */
export const logsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    if (sqlite) {
      await sql`create table log_lines (id integer primary key, time_ms integer not null, service text not null, level integer not null, msg text not null, req_id text, trace_id text, org text, fields text not null)`.execute(db);
      // Each index ends in the rowid: a filter on it is walked newest first as it is.
      await sql`create index log_lines_req on log_lines (req_id) where req_id is not null`.execute(db);
      await sql`create index log_lines_trace on log_lines (trace_id) where trace_id is not null`.execute(db);
      await sql`create index log_lines_service on log_lines (service)`.execute(db);
      await sql`create index log_lines_org on log_lines (org) where org is not null`.execute(db);
      await sql`create virtual table log_fts using fts5(msg, content = 'log_lines', content_rowid = 'id', detail = none, tokenize = 'unicode61 remove_diacritics 0')`.execute(db);
      return;
    }
    await sql`create table log_lines (id bigint generated always as identity primary key, time_ms bigint not null, service text not null, level smallint not null, msg text not null, req_id text, trace_id text, org text, fields text not null)`.execute(db);
    await sql`alter table log_lines add column search_vector tsvector generated always as (to_tsvector('simple', regexp_replace(msg, '[^[:alnum:]]+', ' ', 'g'))) stored`.execute(db);
    await sql`create index log_lines_time on log_lines (time_ms, id)`.execute(db);
    await sql`create index log_lines_req on log_lines (req_id, time_ms, id) where req_id is not null`.execute(db);
    await sql`create index log_lines_trace on log_lines (trace_id, time_ms, id) where trace_id is not null`.execute(db);
    await sql`create index log_lines_service on log_lines (service, time_ms, id)`.execute(db);
    await sql`create index log_lines_org on log_lines (org, time_ms, id) where org is not null`.execute(db);
    await sql`create index log_lines_search on log_lines using gin (search_vector)`.execute(db);
  },
};
