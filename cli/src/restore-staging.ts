import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, fsyncSync, closeSync, openSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { copyBackupFile } from './backup-file-reading.js';
import { sqliteCheckFailure } from './sqlite-backup.js';

export class StagingError extends Error {}

/** A backup file copied beside where it goes, checked, waiting to be renamed over its target. */
export interface StagedFile {
  readonly staged: string;
  readonly target: string;
}

/** A file moved out of the way, to be moved back if the restore fails. */
interface MovedFile {
  readonly from: string;
  readonly to: string;
}

const journalSuffixes = ['', '-wal', '-shm', '-journal'];

/**
 * Copies every backup file into a temporary file beside its target (the same file system, so the
 * final rename is atomic), from one descriptor each with the hash taken while copying, and checks
 * the COPY: its hash against the manifest, SQLite's quick_check on it. Nothing of the installation
 * changes here; on any failure the staged copies are removed and the error names the file.
 */
export async function stageFiles(files: readonly { readonly source: string; readonly target: string; readonly sha256: string }[]): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  try {
    for (const { source, target, sha256 } of files) {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      const temporary = join(dirname(target), `.${basename(target)}.restoring-${randomBytes(4).toString('hex')}`);
      staged.push({ staged: temporary, target });
      const copied = copyBackupFile(source, source, temporary);
      if (copied !== sha256) throw new StagingError(`${source} does not match its checksum in the manifest: the backup is damaged`);
      const failure = await sqliteCheckFailure(temporary);
      if (failure !== undefined) throw new StagingError(`${source} is no sound SQLite database (${failure})`);
      chmodSync(temporary, 0o600);
    }
    return staged;
  } catch (error) {
    removeStaged(staged);
    throw error instanceof StagingError ? error : new StagingError((error as Error).message, { cause: error });
  }
}

export function removeStaged(staged: readonly StagedFile[]): void {
  for (const { staged: file } of staged) rmSync(file, { force: true });
}

/**
 * Moves the current files (with their -wal/-shm/-journal) to their places aside and renames the
 * staged files over their targets. Only renames, so it rarely fails; if one does, every move so far
 * is undone in reverse, the staged files removed, and the installation is as it was.
 */
export function swapIn(staged: readonly StagedFile[], aside: readonly { readonly file: string; readonly directory: string }[]): void {
  const moved: MovedFile[] = [];
  const move = (from: string, to: string): void => {
    renameSync(from, to);
    moved.push({ from, to });
  };
  try {
    for (const { file, directory } of aside) {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      for (const suffix of journalSuffixes) if (existsSync(`${file}${suffix}`)) move(`${file}${suffix}`, join(directory, `${basename(file)}${suffix}`));
    }
    for (const { staged: file, target } of staged) {
      // A stale -wal of a file not moved aside would be replayed onto the restored one.
      for (const suffix of journalSuffixes.slice(1)) if (existsSync(`${target}${suffix}`)) move(`${target}${suffix}`, `${file}${suffix}.replaced`);
      move(file, target);
    }
    for (const { to } of moved) if (to.endsWith('.replaced')) rmSync(to, { force: true });
    for (const directory of new Set(staged.map(({ target }) => dirname(target)))) syncDirectory(directory);
  } catch (error) {
    for (const { from, to } of moved.reverse()) {
      try {
        renameSync(to, from);
      } catch {
        // Keep undoing the rest; the message below names the aside directory.
      }
    }
    removeStaged(staged);
    throw new StagingError(`putting the files in place failed (${(error as Error).message}); the moves were undone`, { cause: error });
  }
}

/** fsync of a directory makes the renames in it durable. */
function syncDirectory(directory: string): void {
  const descriptor = openSync(directory, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
