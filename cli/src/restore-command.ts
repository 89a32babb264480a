import { basename, dirname, join, resolve } from 'node:path';
import { BackupManifestError, readVerifiedManifest } from './backup-manifest.js';
import { BackupSignatureError, usableBackupKey } from './backup-signature.js';
import { databaseSettings, DatabaseSettingsError, existingSqliteFiles, pathInHome, redactedUrl, type DatabaseSettings } from './database-settings.js';
import { dependentsOutside, otherSessions, PostgresToolError, restoreSchemas } from './postgres-backup.js';
import { checkDumpSchemas, planRestore, RestoreRefused, type RestorePlan } from './restore-plan.js';
import { runFilesFor, runningSupervisorPid } from './run-files.js';
import { removeStaged, stageFiles, StagingError, swapIn, type StagedFile } from './restore-staging.js';
import { openSqliteFiles } from './sqlite-backup.js';

export interface RestoreOptions {
  readonly home: string;
  readonly from: string;
  /** Restore although the checks say the platform may be running. */
  readonly force: boolean;
  /** Restore a backup whose signature is missing or cannot be checked (from before signing, or another installation). */
  readonly trustUnsigned: boolean;
  /** Restore only the service databases the backup holds; the installation's others stay as they are. */
  readonly partial: boolean;
  readonly env: NodeJS.ProcessEnv;
}

const say = (line: string): void => void process.stdout.write(`lift: ${line}\n`);

/**
 * `lift restore <DIR>`: puts a backup made by `lift backup` back, with the platform stopped. The
 * manifest's signature is checked first, then its shape and every file (regular file, checksum,
 * one of the installation's, the dump's schemas and what depends on them). Every SQLite file is
 * staged beside its target and checked as copied; then PostgreSQL's schemas are replaced in one
 * transaction, and last the current files go to data/pre-restore-<time>/ and the staged ones are
 * renamed in — undone on failure.
 */
export async function restoreCommand(options: RestoreOptions): Promise<number> {
  try {
    const directory = resolve(options.from);
    const settings = await databaseSettings(options.home, options.env);
    const manifest = await readVerifiedManifest(directory, usableBackupKey(settings.backupKey), options.trustUnsigned);
    if (options.trustUnsigned) say('--trust-unsigned: the backup\'s signature was not checked; only its checksums and table of contents were');
    if (manifest.backend !== settings.backend) {
      throw new RestoreRefused(`the backup is of ${manifest.backend} (${manifest.database}), but DATABASE_URL now names ${settings.backend} (${redactedUrl(settings.url)}); set DATABASE_URL to a ${manifest.backend} database first`);
    }
    const plan = await planRestore(directory, manifest, settings, options.partial);
    if (!options.force) await refuseWhileRunning(options.home, settings);
    const staged = await stageFiles(plan.sqlite).catch((error: unknown) => {
      throw new RestoreRefused(`${(error as Error).message}; nothing was restored`, { cause: error });
    });
    say(`restoring the backup of ${manifest.startedAt} (${manifest.backend}, ${manifest.files.length} file(s)) into ${redactedUrl(settings.url)}`);
    try {
      // The SQLite files are staged and checked already: the PostgreSQL commit is the last step
      // that can fail for a reason of the backup's; after it come only renames.
      if (settings.backend === 'postgres') await restorePostgres(plan, settings.url, settings.schemas, options.force);
      try {
        putStagedFilesInPlace(staged, options.home, settings, options.partial);
      } catch (error) {
        if (settings.backend !== 'postgres') throw error;
        throw new StagingError(`${(error as Error).message}; the PostgreSQL schemas were already replaced with the dump's, the SQLite outboxes were not`, { cause: error });
      }
    } catch (error) {
      removeStaged(staged);
      throw error;
    }
    say('restored; start the platform again ("lift up" or scripts/start-services.sh)');
    return 0;
  } catch (error) {
    const refusal = error instanceof RestoreRefused || error instanceof BackupManifestError || error instanceof PostgresToolError || error instanceof DatabaseSettingsError || error instanceof StagingError || error instanceof BackupSignatureError;
    // One line, never a stack trace: the message says what happened and what was left.
    process.stderr.write(`lift: restore: ${refusal ? '' : 'failed: '}${(error as Error).message}\n`);
    return 1;
  }
}

async function refuseWhileRunning(home: string, settings: DatabaseSettings): Promise<void> {
  const pid = runningSupervisorPid(runFilesFor(home));
  if (pid !== undefined) throw new RestoreRefused(`the platform is running (lift up, pid ${pid}); stop it first with "lift down" (or scripts/stop-services.sh)`);
  const open = openSqliteFiles(existingSqliteFiles(settings));
  if (open.length > 0) {
    throw new RestoreRefused(`${open.map((file) => `${pathInHome(home, file)}-wal`).join(', ')} exist(s): a process still has the database open; stop every service (compose: docker compose stop), or pass --force if one crashed and nothing runs`);
  }
  if (settings.backend === 'postgres') {
    const sessions = await otherSessions(settings.url);
    if (sessions.length > 0) throw new RestoreRefused(`${sessions.length} other session(s) are connected to the database (${[...new Set(sessions)].join(', ')}); stop the services first, or pass --force when those are not the platform's`);
  }
}

async function restorePostgres(plan: RestorePlan, url: string, allowed: readonly string[], force: boolean): Promise<void> {
  // drop schema … cascade would also drop what other schemas built on these: refuse, or say so.
  const dependents = await dependentsOutside(url, plan.dumps.flatMap((dump) => dump.schemas));
  if (dependents.length > 0 && !force) {
    throw new RestoreRefused(`objects outside the restored schemas depend on them and would be dropped with them: ${dependents.join('; ')}; remove them first, or pass --force to drop them; nothing was restored`);
  }
  if (dependents.length > 0) say(`--force: dropping as well what depends on the restored schemas: ${dependents.join('; ')}`);
  for (const dump of plan.dumps) {
    // The table of contents is checked again on the copy that is replayed, not only on the backup's file.
    await restoreSchemas(url, dump.schemas, dump.source, dump.sha256, (copy) => checkDumpSchemas(copy, dump.schemas, allowed, dump.source));
    say(`replaced schemas ${dump.schemas.join(', ')} with the dump's`);
  }
}

/**
 * The current database files go aside and the staged ones are renamed in, so the installation
 * holds exactly the backup's files afterwards (with --partial, only the files the backup replaces go
 * aside); a failure in between undoes the moves.
 */
function putStagedFilesInPlace(staged: readonly StagedFile[], home: string, settings: DatabaseSettings, partial: boolean): void {
  const replaced = new Set(staged.map(({ target }) => target));
  const current = existingSqliteFiles(settings).filter((file) => !partial || replaced.has(file));
  const aside = join(home, 'data', `pre-restore-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
  // Two files of one name (an outbox in data/, a copy of it beside a moved database) must not
  // land on each other: the second goes into a subdirectory named after where it was.
  const names = new Set<string>();
  const moves = current.map((file) => {
    const taken = names.has(basename(file));
    names.add(basename(file));
    return { file, directory: taken ? join(aside, pathInHome(home, dirname(file)).replace(/[\\/]+/g, '_')) : aside };
  });
  swapIn(staged, moves);
  if (current.length > 0) say(`moved the current ${current.map((file) => pathInHome(home, file)).join(', ')} to ${pathInHome(home, aside)} (delete it once the restore is checked)`);
  for (const { target } of staged) say(`restored ${pathInHome(home, target)}`);
}
