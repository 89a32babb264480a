/**
 * One log line. `id` orders lines newest first: on SQLite it is time-keyed (see log-ids.ts); on
 * PostgreSQL an identity, with `time_ms` ahead of it in the order.
 */
export interface LogLinesTable {
  /** Given on SQLite, made by PostgreSQL (an identity): optional in an insert. */
  id?: number | string;
  /** Milliseconds since the epoch (PostgreSQL bigint, read back as text). */
  time_ms: number | string;
  service: string;
  /** pino's number: 10 trace … 60 fatal. */
  level: number;
  msg: string;
  req_id: string | null;
  trace_id: string | null;
  org: string | null;
  /** The line's other fields, as JSON text. */
  fields: string;
}

/** The tables log ingestion and search own (Kysely row types). */
export interface LogTables {
  log_lines: LogLinesTable;
}
