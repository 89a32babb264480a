import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { createMarkedDatabase } from './backup-fixtures.js';
import { runLift } from './lift-command.js';

// Regression: the default backups/ root was created with the umask's mode (0755 typically), a --to
// directory writable by other users was used as it was, and neither git nor docker build ignored backups/.
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function installation(): string {
  const home = mkdtempSync(join(tmpdir(), 'lift-backup-directory-'));
  homes.push(home);
  mkdirSync(join(home, 'data'), { mode: 0o700 });
  createMarkedDatabase(join(home, 'data', 'lift.auth.db'), 'backed up');
  return home;
}

describe('where lift backup writes', () => {
  it('creates the default backups/ root 0700', async () => {
    const home = installation();
    const result = await runLift(home, {}, 'backup');
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(join(home, 'backups')).mode & 0o777).toBe(0o700);
  });

  it('refuses a --to directory other users can write to, and leaves it as it is', async () => {
    const home = installation();
    const shared = join(home, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const result = await runLift(home, {}, 'backup', '--to', shared);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`lift: --to ${shared} is writable by other users (mode 777); chmod 700 it or name a new directory\n`);
    expect(existsSync(join(shared, 'manifest.json'))).toBe(false);
    expect(statSync(shared).mode & 0o777).toBe(0o777);
  });

  it('keeps backups/ out of git and out of image build contexts', () => {
    expect(readFileSync(join(repositoryRoot, '.gitignore'), 'utf8').split('\n')).toContain('backups/');
    expect(readFileSync(join(repositoryRoot, '.dockerignore'), 'utf8').split('\n')).toContain('backups/');
  });
});
