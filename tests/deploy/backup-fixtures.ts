import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { testDatabaseUrl } from '../support/backend.js';

/** A manifest entry as a backup's author — honest or not — may write it. */
export type ManifestEntry = { name: string; kind: 'sqlite'; restoreTo: string } | { name: string; kind: 'pg_dump'; schemas: string[] };

/** LIFT_BACKUP_KEY of the tests' installations: runLift sets it unless a test sets its own. */
export const testBackupKey = 'test-backup-key-0123456789abcdef-0123456789';

/** JSON with sorted keys and no whitespace, as the manifest's signature covers it. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The manifest as `lift backup` signs it (HMAC-SHA256 of its canonical JSON), with `key`. */
export function signedManifest<T extends object>(manifest: T, key = testBackupKey): T & { signature: { algorithm: string; value: string } } {
  const { signature: _ignored, ...rest } = manifest as T & { signature?: unknown };
  return { ...(rest as T), signature: { algorithm: 'HMAC-SHA256', value: createHmac('sha256', key).update(canonicalJson(rest)).digest('hex') } };
}

/**
 * Writes manifest.json for files already in `directory`, with their true sizes and checksums,
 * signed with the tests' key (as their author would, had they the key) unless `key` is null.
 */
export function writeManifest(directory: string, backend: 'sqlite' | 'postgres', entries: readonly ManifestEntry[], key: string | null = testBackupKey): void {
  const files = entries.map((entry) => {
    const bytes = readFileSync(join(directory, entry.name));
    return { ...entry, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  const manifest = { format: 'lift-backup/1', backend, startedAt: '2026-11-30T07:15:00.000Z', finishedAt: '2026-11-30T07:15:01.000Z', database: 'sqlite:///data/lift.db', liftVersion: '0.1.0', files };
  writeFileSync(join(directory, 'manifest.json'), `${JSON.stringify(key === null ? manifest : signedManifest(manifest, key), null, 2)}\n`);
}

/** The test database's server, with a fresh database of the test's own (never another's). */
export function databaseUrl(name: string): string {
  const url = new URL(testDatabaseUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One statement on the test server (its own database), or on `url`; the rows it answers. */
export async function onServer<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, url = testDatabaseUrl): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

/** pg_dump, pg_restore and psql, which backup and restore on PostgreSQL run. */
export const postgresToolsInstalled = ['pg_dump', 'pg_restore', 'psql'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);

/** An SQLite database holding one marker value, to tell which copy of a file ended up where. */
export function createMarkedDatabase(file: string, value: string): void {
  const database = new BetterSqlite3(file);
  database.exec('create table marker (value text not null)');
  database.prepare('insert into marker (value) values (?)').run(value);
  database.close();
}

export function markerOf(file: string): string {
  const database = new BetterSqlite3(file, { fileMustExist: true });
  try {
    return (database.prepare('select value from marker').get() as { value: string }).value;
  } finally {
    database.close();
  }
}

export interface SqliteInstallation {
  readonly home: string;
  readonly data: string;
  readonly backup: string;
}

/**
 * A SQLite installation in a fresh home for a restore test: `data/` (0700) holding a marked
 * database per entry of `current` (file name → marker), and `backup/` (0700) holding one per
 * entry of `backedUp` (the directory is made only when asked for or given files).
 */
export function sqliteInstallation(
  makeHome: (prefix: string) => string,
  prefix: string,
  options: { current: Readonly<Record<string, string>>; backedUp?: Readonly<Record<string, string>>; makeBackupDirectory?: boolean },
): SqliteInstallation {
  const home = makeHome(prefix);
  const data = join(home, 'data');
  mkdirSync(data, { mode: 0o700 });
  for (const [name, marker] of Object.entries(options.current)) createMarkedDatabase(join(data, name), marker);
  const backup = join(home, 'backup');
  const backedUp = Object.entries(options.backedUp ?? {});
  if (options.makeBackupDirectory || backedUp.length > 0) mkdirSync(backup, { mode: 0o700 });
  for (const [name, marker] of backedUp) createMarkedDatabase(join(backup, name), marker);
  return { home, data, backup };
}
