import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Pool } from 'pg';
import { createPrivateFile, sqliteFiles, warnAboutOpenFiles, type WarningLog } from '../files/private-files.js';
import type { DatabaseLocation } from './database-url.js';

export interface Database<Schema> {
  readonly db: Kysely<Schema>;
  readonly location: DatabaseLocation;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  readonly location: DatabaseLocation;
  /**
   * SQLite durability. NORMAL in WAL mode can lose the last commits on power loss (never on a
   * process crash); FULL fsyncs every commit, for data that was acknowledged to a caller as kept.
   */
  readonly sqliteSynchronous?: 'NORMAL' | 'FULL';
  readonly sqliteBusyTimeoutMs?: number;
  readonly postgresPoolSize?: number;
  /** Told when an existing SQLite file can be read by other users (it holds keys and tenants' data). */
  readonly log?: WarningLog;
}

/**
 * Opens the database without waiting for a PostgreSQL server (its pool connects on first use).
 * The driver that is not used is never loaded: each costs start-up time and memory.
 */
export async function openDatabase<Schema>(options: OpenDatabaseOptions): Promise<Database<Schema>> {
  const { location } = options;
  if (location.dialect === 'sqlite') return openSqlite<Schema>(location, options);
  return openPostgres<Schema>(location, options);
}

async function openSqlite<Schema>(location: Extract<DatabaseLocation, { dialect: 'sqlite' }>, options: OpenDatabaseOptions): Promise<Database<Schema>> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  // Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
  if (location.file !== ':memory:') createPrivateFile(location.file);
  const connection = new BetterSqlite3(location.file);
  connection.pragma('journal_mode = WAL');
  if (location.file !== ':memory:' && options.log) warnAboutOpenFiles(options.log, sqliteFiles(location.file));
  connection.pragma(`busy_timeout = ${options.sqliteBusyTimeoutMs ?? 5_000}`);
  connection.pragma(`synchronous = ${options.sqliteSynchronous ?? 'NORMAL'}`);
  connection.pragma('foreign_keys = ON');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: connection }) });
  return {
    db,
    location,
    ping: async () => void connection.prepare('select 1').get(),
    close: () => db.destroy(),
  };
}

async function openPostgres<Schema>(location: Extract<DatabaseLocation, { dialect: 'postgres' }>, options: OpenDatabaseOptions): Promise<Database<Schema>> {
  const { default: pg } = await import('pg');
  const pool: Pool = new pg.Pool({
    connectionString: location.connectionString,
    max: options.postgresPoolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    // Unqualified table names resolve to the service's own schema, so queries stay dialect-neutral.
    options: `-c search_path=${location.schema}`,
  });
  // A connection that dies while idle in the pool (the server restarted, a failover, an idle
  // timeout) is reported on the pool: without a listener Node treats it as an unhandled 'error'
  // and the whole service exits. The pool drops that connection and opens a new one when asked;
  // meanwhile queries fail, readiness names the database, and callers get a 503.
  pool.on('error', (error) => options.log?.warn({ err: error.message }, 'an idle database connection was lost; the pool opens a new one when needed'));
  // The same, for a connection that is checked out (a transaction between two statements, a query
  // about to start): node-postgres then emits on the client itself. Its query fails on its own
  // (a 503, DATABASE_UNAVAILABLE) and the pool discards the broken connection when it comes back.
  pool.on('connect', (client) => client.on('error', (error) => options.log?.warn({ err: error.message }, 'a database connection in use was lost')));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    location,
    ping: async () => void (await sql`select 1`.execute(db)),
    close: () => db.destroy(),
  };
}

/** Creates the service's schema; the pool connects lazily, so opening never waits for the server. */
export async function ensurePostgresSchema(connectionString: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two replicas creating the same schema at once: the loser sees a duplicate, which is fine.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  } finally {
    await client.end();
  }
}
