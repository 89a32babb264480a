import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMarkedDatabase, markerOf, sqliteInstallation, type SqliteInstallation, writeManifest } from './backup-fixtures.js';
import { runLift } from './lift-command.js';
import { scratchDirectories } from '../support/scratch-directories.js';

// Regression: restore moved every current database aside, then copied the backup's files one by
// one with no way back — a backup whose lift.billing.db was a symlink to the live file (its
// checksum and quick_check passed, following the link) restored auth, then died with an ENOENT
// stack trace, billing's database only in pre-restore-*/. A FIFO in its place hung the checksum.
const scratch = scratchDirectories();

function installation(): SqliteInstallation {
  return sqliteInstallation(scratch, 'lift-restore-staging-', { current: { 'lift.auth.db': 'current auth', 'lift.billing.db': 'current billing' }, backedUp: { 'lift.auth.db': 'backup auth' } });
}

function untouched(data: string): void {
  expect(markerOf(join(data, 'lift.auth.db'))).toBe('current auth');
  expect(markerOf(join(data, 'lift.billing.db'))).toBe('current billing');
  expect(readdirSync(data).filter((name) => name.startsWith('pre-restore-') || name.includes('.restoring'))).toEqual([]);
}

describe('lift restore stages and checks every file before it changes the installation', () => {
  it('refuses a backup file that is a symbolic link (to the live database), naming it, and changes nothing', async () => {
    const { home, data, backup } = installation();
    symlinkSync(join(data, 'lift.billing.db'), join(backup, 'lift.billing.db'));
    writeManifest(backup, 'sqlite', [
      { name: 'lift.auth.db', kind: 'sqlite', restoreTo: 'data/lift.auth.db' },
      { name: 'lift.billing.db', kind: 'sqlite', restoreTo: 'data/lift.billing.db' },
    ]);

    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`lift: restore: ${join(backup, 'lift.billing.db')} is a symbolic link, not a regular file; a backup holds only regular files\n`);
    untouched(data);
  });

  it('refuses a named pipe instead of waiting on it for ever', async () => {
    const { home, data, backup } = installation();
    createMarkedDatabase(join(backup, 'lift.billing.db'), 'backup billing');
    writeManifest(backup, 'sqlite', [
      { name: 'lift.auth.db', kind: 'sqlite', restoreTo: 'data/lift.auth.db' },
      { name: 'lift.billing.db', kind: 'sqlite', restoreTo: 'data/lift.billing.db' },
    ]);
    rmSync(join(backup, 'lift.billing.db'));
    expect(spawnSync('mkfifo', [join(backup, 'lift.billing.db')]).status).toBe(0);

    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lift.billing.db is a named pipe, not a regular file');
    untouched(data);
  }, 20_000);

  it('leaves the installation as it was when a file cannot be staged beside its target, with a one-line message', async () => {
    const { home, data, backup } = installation();
    createMarkedDatabase(join(backup, 'lift.billing.db'), 'backup billing');
    createMarkedDatabase(join(backup, 'lift.gateway.outbox.db'), 'backup outbox');
    // A file where the outbox's directory should be: staging its copy fails after auth's and billing's.
    writeFileSync(join(home, 'blocked'), 'not a directory\n');
    writeManifest(backup, 'sqlite', [
      { name: 'lift.auth.db', kind: 'sqlite', restoreTo: 'data/lift.auth.db' },
      { name: 'lift.billing.db', kind: 'sqlite', restoreTo: 'data/lift.billing.db' },
      { name: 'lift.gateway.outbox.db', kind: 'sqlite', restoreTo: 'data/lift.gateway.outbox.db' },
    ]);

    const result = await runLift(home, { EVENT_OUTBOX_FILE: 'blocked/outbox.db' }, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lift: restore: .*(EEXIST|ENOTDIR).*nothing was restored\n$/);
    expect(result.stderr).not.toContain('    at ');
    untouched(data);
  });
});
