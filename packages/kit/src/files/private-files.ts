import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a file holding keys, secrets or tenants' data may be: its owner's alone. */
export const privateFileMode = 0o600;
export const privateDirectoryMode = 0o700;

/** What the warning needs of a logger (pino's, or anything with the same `warn`). */
export interface WarningLog {
  warn(bindings: Record<string, unknown>, message: string): void;
}

/**
 * Makes `file` (and any missing directory above it) private before anything is written to it:
 * directories 0700, the file 0600, both only when they are created here — an existing file or
 * directory keeps the mode its owner gave it. The mode is given to open(2) itself, so there is no
 * moment in which the file exists and others can open it.
 */
export function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: privateDirectoryMode });
  closeSync(openSync(file, 'a', privateFileMode));
}

/** A SQLite database and the write-ahead log and shared-memory files beside it. */
export function sqliteFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/**
 * Warns, naming each file, its mode and the fix, about files that group or others may read or
 * write although they hold private data. Files that do not exist are skipped. Warned, not changed:
 * the operator may have reasons (a backup agent's group), and a service should not rewrite what
 * it did not create.
 */
export function warnAboutOpenFiles(log: WarningLog, files: readonly string[]): void {
  for (const file of files) {
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & 0o077) === 0) continue;
    const octal = `0${mode.toString(8)}`;
    log.warn({ file, mode: octal }, `${file} holds private data but other users may open it (mode ${octal}); make it private with: chmod 600 ${file}`);
  }
}
