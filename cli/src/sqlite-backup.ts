import { chmodSync, existsSync } from 'node:fs';

/** More pages than any file has: the online backup then copies a database in one step. */
const allPages = 0x7fffffff;

/**
 * Copies a live SQLite database with SQLite's online backup API while services keep writing.
 * In one step: SQLite restarts a backup whose source another connection changed between steps,
 * which under a steady stream of writes (WAL lets them go on) would never finish. One step reads
 * one snapshot — every transaction committed before it, none after — and blocks no writer.
 */
export async function backupSqliteFile(source: string, destination: string): Promise<void> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const database = new BetterSqlite3(source, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 10000');
    await database.backup(destination, { progress: () => allPages });
  } finally {
    database.close();
  }
  chmodSync(destination, 0o600);
  // The copy carries the source's WAL flag; in rollback-journal mode it is one self-contained file
  // (a service sets WAL again when it opens the restored file), and it is checked once.
  const copy = new BetterSqlite3(destination, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const failure = quickCheckFailure(copy);
    if (failure !== undefined) throw new Error(`the copy of ${source} fails SQLite's quick_check: ${failure}`);
  } finally {
    copy.close();
  }
}

function quickCheckFailure(database: import('better-sqlite3').Database): string | undefined {
  const [check] = database.pragma('quick_check') as { quick_check: string }[];
  return check?.quick_check === 'ok' ? undefined : (check?.quick_check ?? 'no answer');
}

/**
 * Why a file of a backup is not a sound SQLite database, or undefined when it is: opened
 * read-only (the backup stays as it is), and `PRAGMA quick_check` must answer ok — a file that
 * is no database at all fails to open or to answer.
 */
export async function sqliteCheckFailure(file: string): Promise<string | undefined> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  let database: import('better-sqlite3').Database | undefined;
  try {
    database = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    return quickCheckFailure(database);
  } catch (error) {
    return (error as Error).message;
  } finally {
    database?.close();
  }
}

/** A -wal file beside a database means a connection has it open (or a process died holding it). */
export function openSqliteFiles(files: readonly string[]): string[] {
  return files.filter((file) => existsSync(`${file}-wal`));
}
