import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class BackupDirectoryError extends Error {}

/** The default backup directory's parent, `<home>/backups`. */
export function backupRoot(home: string): string {
  return join(home, 'backups');
}

/**
 * Creates the directory a backup goes into, 0700 (and the default root `<home>/backups` 0700).
 * An existing directory must be empty, ours, and writable by nobody else: another user who can
 * write to it could swap a file between the backup and a restore, or read what we put there.
 * It is refused rather than tightened, since its mode may be someone's deliberate choice.
 */
export function createBackupDirectory(home: string, to: string | undefined, startedAt: Date): string {
  const directory = resolve(to ?? join(backupRoot(home), `lift-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`));
  if (to === undefined) {
    mkdirSync(backupRoot(home), { recursive: true, mode: 0o700 });
    refuseUnlessPrivate(backupRoot(home), 'the backup root');
  }
  if (existsSync(directory)) {
    if (!statSync(directory).isDirectory() || readdirSync(directory).length > 0) throw new BackupDirectoryError(`${directory} exists and is not an empty directory; name a new one with --to`);
    refuseUnlessPrivate(directory, '--to');
    return directory;
  }
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  return directory;
}

function refuseUnlessPrivate(directory: string, what: string): void {
  const { mode, uid } = statSync(directory);
  if ((mode & 0o022) !== 0) throw new BackupDirectoryError(`${what} ${directory} is writable by other users (mode ${(mode & 0o777).toString(8)}); chmod 700 it or name a new directory`);
  if (process.getuid !== undefined && uid !== process.getuid()) throw new BackupDirectoryError(`${what} ${directory} belongs to another user (uid ${uid}); name a directory of your own`);
}
