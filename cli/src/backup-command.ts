import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BackupDirectoryError, createBackupDirectory } from './backup-directory.js';
import { backupKeyVariable, BackupSignatureError, usableBackupKey } from './backup-signature.js';
import { backupFormat, sha256Of, writeManifest, type BackupFile } from './backup-manifest.js';
import { databaseSettings, DatabaseSettingsError, existingSqliteFiles, installationFiles, pathInHome, redactedUrl, type DatabaseSettings } from './database-settings.js';
import { dumpSchemas, existingSchemas, PostgresToolError } from './postgres-backup.js';
import { backupSqliteFile } from './sqlite-backup.js';

export interface BackupOptions {
  readonly root: string;
  readonly home: string;
  /** Where the backup goes: a new or empty directory. Default: <home>/backups/lift-<UTC time>. */
  readonly to?: string;
  readonly env: NodeJS.ProcessEnv;
}

const say = (line: string): void => void process.stdout.write(`lift: ${line}\n`);

/**
 * `lift backup [--to DIR]`: a consistent copy of every service's data while the platform runs —
 * SQLite files through SQLite's online backup, PostgreSQL schemas through one `pg_dump` — and a
 * manifest with what, when, which backend and each file's SHA-256. Redis is not backed up: it
 * holds limits, caches and events in flight, which the services rebuild or resend.
 */
export async function backupCommand(options: BackupOptions): Promise<number> {
  const startedAt = new Date();
  let settings: DatabaseSettings;
  let directory: string;
  let key: string | undefined;
  try {
    settings = await databaseSettings(options.home, options.env);
    key = usableBackupKey(settings.backupKey);
    directory = createBackupDirectory(options.home, options.to, startedAt);
  } catch (error) {
    if (!(error instanceof BackupDirectoryError || error instanceof DatabaseSettingsError || error instanceof BackupSignatureError)) throw error;
    process.stderr.write(`lift: ${error.message}\n`);
    return 2;
  }
  // A failed backup leaves no directory that looks like one (it would have no manifest anyway).
  const failed = (message: string): number => {
    rmSync(directory, { recursive: true, force: true });
    process.stderr.write(`lift: ${message}\n`);
    return 1;
  };
  const files: BackupFile[] = [];
  try {
    if (settings.backend === 'postgres') {
      const schemas = await existingSchemas(settings.url, settings.schemas);
      if (schemas.length === 0) throw new PostgresToolError(`none of the schemas ${settings.schemas.join(', ')} exists in ${redactedUrl(settings.url)}; has the platform ever started on it?`);
      await dumpSchemas(settings.url, schemas, join(directory, 'postgres.dump'));
      files.push({ name: 'postgres.dump', kind: 'pg_dump', schemas, ...(await describe(join(directory, 'postgres.dump'))) });
      say(`dumped schemas ${schemas.join(', ')}`);
    }
    // Under the names a restore accepts (lift.<service>.db, lift.<service>.outbox.db), whatever
    // the paths are here: a restore puts each where its own settings say.
    const known = [...installationFiles(settings)].filter(([, file]) => existsSync(file));
    if (settings.backend === 'sqlite' && known.length === 0) {
      return failed(`no SQLite database in ${settings.directory} (${settings.baseName}.*.db); has the platform ever started in ${options.home}?`);
    }
    const unknown = existingSqliteFiles(settings).filter((file) => !known.some(([, path]) => path === file));
    if (unknown.length > 0) say(`not copied (no service's database or outbox): ${unknown.map((file) => pathInHome(options.home, file)).join(', ')}`);
    for (const [name, file] of known) {
      await backupSqliteFile(file, join(directory, name));
      files.push({ name, kind: 'sqlite', restoreTo: pathInHome(options.home, file), ...(await describe(join(directory, name))) });
      say(`copied ${pathInHome(options.home, file)}`);
    }
  } catch (error) {
    if (error instanceof PostgresToolError) return failed(`backup failed: ${error.message}`);
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  writeManifest(directory, {
    format: backupFormat,
    backend: settings.backend,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    database: redactedUrl(settings.url),
    liftVersion: (JSON.parse(readFileSync(join(options.root, 'package.json'), 'utf8')) as { version: string }).version,
    files,
  }, key);
  if (key === undefined) say(`the backup is UNSIGNED: ${backupKeyVariable} is not set ("lift setup" generates one), so "lift restore" will need --trust-unsigned`);
  say(`backup of ${files.length} file(s) in ${directory}; "lift restore ${directory}" puts it back`);
  return 0;
}

async function describe(file: string): Promise<{ bytes: number; sha256: string }> {
  return { bytes: statSync(file).size, sha256: await sha256Of(file) };
}
