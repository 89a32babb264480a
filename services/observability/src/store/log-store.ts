import { sql, type ExpressionBuilder, type Kysely, type SqlBool, type Expression } from 'kysely';
import { transactionalStore, type TransactionalStore } from '@lift/kit';
import type { ObservabilityTables } from '../tables.js';
import { keysPerMs, TimeKeyedIds } from '../logs/log-ids.js';
import type { LogLine } from '../logs/log-line.js';

export type Dialect = 'sqlite' | 'postgres';

/** A stored line, as read back. */
export interface StoredLogLine extends LogLine {
  readonly id: number;
}

/** Where a page ended: the last line's time and id. */
export interface LogPosition {
  readonly timeMs: number;
  readonly id: number;
}

/** A search, its values checked already (see log-search.ts). */
export interface LogQuery {
  readonly service?: string | undefined;
  /** This level and above. */
  readonly minLevel?: number | undefined;
  /** Every one of these words (letters and digits only) in `msg`. */
  readonly words: readonly string[];
  readonly reqId?: string | undefined;
  readonly traceId?: string | undefined;
  readonly org?: string | undefined;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
  readonly after?: LogPosition | undefined;
  readonly limit: number;
}

/** Rows per insert statement: under SQLite's 32,766 and PostgreSQL's 65,535 parameters at 9 columns. */
const rowsPerStatement = 1_000;
/** SQLite: a `to` bound is exact on time_ms; on the key it allows a minute of keys for lines that took later milliseconds' keys (120 million lines at one instant would be needed to pass it). */
const spillAllowanceKeys = 60_000 * keysPerMs;

type Builder = ExpressionBuilder<ObservabilityTables, 'log_lines'>;
type Row = { id?: number | string | undefined; time_ms: number | string; service: string; level: number; msg: string; req_id: string | null; trace_id: string | null; org: string | null; fields: string };

function rowToLine(row: Row): StoredLogLine {
  return { id: Number(row.id), timeMs: Number(row.time_ms), service: row.service, level: row.level, msg: row.msg, reqId: row.req_id, traceId: row.trace_id, org: row.org, fields: row.fields };
}

const lineColumns = ['log_lines.id', 'log_lines.time_ms', 'log_lines.service', 'log_lines.level', 'log_lines.msg', 'log_lines.req_id', 'log_lines.trace_id', 'log_lines.org', 'log_lines.fields'] as const;

function logQueries(db: Kysely<ObservabilityTables>, dialect: Dialect, keys: KeyAllocation) {
  const highestKeyIn = async (slot: number) => {
    const row = await db.selectFrom('log_lines').select((eb) => eb.fn.max('id').as('id')).where('id', '>=', slot * keysPerMs).where('id', '<', (slot + 1) * keysPerMs).executeTakeFirst();
    return row?.id === null || row?.id === undefined ? undefined : Number(row.id);
  };

  /** The filters besides the words and the order, on both backends. */
  const filters = (eb: Builder, query: LogQuery): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [];
    if (query.service !== undefined) conditions.push(eb('log_lines.service', '=', query.service));
    if (query.minLevel !== undefined && query.minLevel > 10) conditions.push(eb('log_lines.level', '>=', query.minLevel));
    if (query.reqId !== undefined) conditions.push(eb('log_lines.req_id', '=', query.reqId));
    if (query.traceId !== undefined) conditions.push(eb('log_lines.trace_id', '=', query.traceId));
    if (query.org !== undefined) conditions.push(eb('log_lines.org', '=', query.org));
    if (query.fromMs !== undefined) conditions.push(eb('log_lines.time_ms', '>=', query.fromMs));
    if (query.toMs !== undefined) conditions.push(eb('log_lines.time_ms', '<=', query.toMs));
    if (dialect === 'sqlite') {
      // The key bounds let SQLite start and stop its walk where the time range does.
      if (query.fromMs !== undefined) conditions.push(eb('log_lines.id', '>=', query.fromMs * keysPerMs));
      if (query.toMs !== undefined) conditions.push(eb('log_lines.id', '<', (query.toMs + 1) * keysPerMs + spillAllowanceKeys));
      if (query.after !== undefined) conditions.push(eb('log_lines.id', '<', query.after.id));
    } else if (query.after !== undefined) {
      conditions.push(eb(eb.refTuple('log_lines.time_ms', 'log_lines.id'), '<', eb.tuple(query.after.timeMs, query.after.id)));
    }
    return eb.and(conditions);
  };

  return {
    /** Stores the lines (in the caller's transaction) and answers them with their ids, in order. */
    insert: async (lines: readonly LogLine[]): Promise<StoredLogLine[]> => {
      const stored: StoredLogLine[] = [];
      if (dialect === 'sqlite') keys.allocator().forgetOld();
      for (let start = 0; start < lines.length; start += rowsPerStatement) {
        const chunk = lines.slice(start, start + rowsPerStatement);
        const values = chunk.map((line) => ({ time_ms: line.timeMs, service: line.service, level: line.level, msg: line.msg, req_id: line.reqId, trace_id: line.traceId, org: line.org, fields: line.fields }));
        if (dialect === 'sqlite') {
          const allocator = keys.allocator();
          const keyed: StoredLogLine[] = [];
          for (const line of chunk) keyed.push({ ...line, id: await allocator.allocate(line.timeMs, highestKeyIn) });
          await db.insertInto('log_lines').values(values.map((value, index) => ({ ...value, id: (keyed[index] as StoredLogLine).id }))).execute();
          await sql`insert into log_fts (rowid, msg) values ${sql.join(keyed.map((line) => sql`(${line.id}, ${line.msg})`))}`.execute(db);
          stored.push(...keyed);
        } else {
          const rows = await db.insertInto('log_lines').values(values).returning('id').execute();
          chunk.forEach((line, index) => stored.push({ ...line, id: Number((rows[index] as { id: number | string }).id) }));
        }
      }
      return stored;
    },

    /** Newest first: (time, id) descending; on SQLite the time-keyed id alone. */
    search: async (query: LogQuery): Promise<StoredLogLine[]> => {
      if (dialect === 'sqlite') {
        const match = query.words.map((word) => `"${word}"`).join(' ');
        if (query.words.length > 0 && query.reqId === undefined && query.traceId === undefined) {
          // Words first: FTS5 walks its matches newest first (rowid descending) and the walk stops at the limit.
          const rows = await db
            .selectFrom(sql<{ rowid: number }>`log_fts`.as('log_fts'))
            .innerJoin('log_lines', 'log_lines.id', 'log_fts.rowid')
            .select(lineColumns)
            .where(sql<SqlBool>`log_fts match ${match}`)
            .where((eb) => filters(eb as unknown as Builder, query))
            .orderBy(sql`log_fts.rowid`, 'desc')
            .limit(query.limit)
            .execute();
          return rows.map(rowToLine);
        }
        // A request or trace id first (a handful of lines); the words checked line by line.
        const rows = await db
          .selectFrom('log_lines')
          .select(lineColumns)
          .where((eb) => filters(eb, query))
          .$if(query.words.length > 0, (builder) => builder.where(sql<SqlBool>`exists (select 1 from log_fts where log_fts match ${match} and log_fts.rowid = log_lines.id)`))
          .orderBy('log_lines.id', 'desc')
          .limit(query.limit)
          .execute();
        return rows.map(rowToLine);
      }
      const rows = await db
        .selectFrom('log_lines')
        .select(lineColumns)
        .where((eb) => filters(eb, query))
        .$if(query.words.length > 0, (builder) => builder.where(sql<SqlBool>`search_vector @@ plainto_tsquery('simple', ${query.words.join(' ')})`))
        .orderBy('log_lines.time_ms', 'desc')
        .orderBy('log_lines.id', 'desc')
        .limit(query.limit)
        .execute();
      return rows.map(rowToLine);
    },

    /** Deletes up to `chunk` lines older than `cutoffMs` (and their index entries); answers how many. */
    deleteOlderThan: async (cutoffMs: number, chunk: number): Promise<number> => {
      const expired = await db.selectFrom('log_lines').select(['id', 'msg']).where('time_ms', '<', cutoffMs).orderBy(dialect === 'sqlite' ? 'id' : 'time_ms').limit(chunk).execute();
      if (expired.length === 0) return 0;
      const keys = expired.map((row) => Number(row.id));
      if (dialect === 'sqlite') {
        // External content: FTS5 forgets a row only when told the text it indexed.
        await sql`insert into log_fts (log_fts, rowid, msg) values ${sql.join(expired.map((row) => sql`('delete', ${Number(row.id)}, ${row.msg})`))}`.execute(db);
      }
      await db.deleteFrom('log_lines').where('id', 'in', keys).execute();
      return keys.length;
    },

    highestId: async (): Promise<number> => {
      const row = await db.selectFrom('log_lines').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      return row?.id === null || row?.id === undefined ? 0 : Number(row.id);
    },
  };
}

/** SQLite's key allocator, made once per store outside any transaction (the single connection would wait on itself inside one). */
interface KeyAllocation {
  allocator(): TimeKeyedIds;
}

export type LogQueries = ReturnType<typeof logQueries>;
/** The logs half's storage seam: its queries, `transaction` to run several atomically, and `prepare` before the first insert. */
export type LogStore = TransactionalStore<LogQueries> & { prepare(): Promise<void> };

export function logStore(db: Kysely<ObservabilityTables>, dialect: Dialect): LogStore {
  let allocator: TimeKeyedIds | undefined;
  let preparing: Promise<void> | undefined;
  const keys: KeyAllocation = {
    allocator: () => {
      if (allocator === undefined) throw new Error('logStore.prepare() must run before the first insert');
      return allocator;
    },
  };
  const store = transactionalStore(db, (connection) => logQueries(connection, dialect, keys));
  return {
    ...store,
    prepare: () =>
      (preparing ??= (async () => {
        if (dialect === 'sqlite') allocator = new TimeKeyedIds(await store.highestId());
      })().catch((error: unknown) => {
        preparing = undefined;
        throw error;
      })),
  };
}
