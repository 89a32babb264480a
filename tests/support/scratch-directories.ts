import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temporary directories for one test file, every one removed after the file's last test, so a
 * run leaves nothing behind in /tmp (homes, backups and databases add up to gigabytes over a day
 * of runs). Call once at the top of the file; the returned function makes a directory.
 */
export function scratchDirectories(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return (prefix) => {
    const directory = mkdtempSync(join(tmpdir(), prefix));
    made.push(directory);
    return directory;
  };
}
