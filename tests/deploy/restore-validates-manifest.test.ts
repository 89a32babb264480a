import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMarkedDatabase, markerOf, signedManifest, sqliteInstallation, type SqliteInstallation, writeManifest } from './backup-fixtures.js';
import { runLift } from './lift-command.js';
import { scratchDirectories } from '../support/scratch-directories.js';

// Regression: an empty manifest ("files": []) "restored" by moving lift.auth.db and lift.memory.db
// aside and said restored, exit 0; an entry without "name" ended in a TypeError stack trace.
const scratch = scratchDirectories();

function installation(): SqliteInstallation {
  return sqliteInstallation(scratch, 'lift-restore-manifest-', { current: { 'lift.auth.db': 'current auth', 'lift.memory.db': 'current memory' }, makeBackupDirectory: true });
}

/** A manifest as its author wrote it, signed (the shape is checked after the signature). */
function writeRawManifest(backup: string, files: unknown[]): void {
  const manifest = { format: 'lift-backup/1', backend: 'sqlite', startedAt: '2026-11-30T07:15:00.000Z', finishedAt: '2026-11-30T07:15:01.000Z', database: 'sqlite:///data/lift.db', liftVersion: '0.1.0', files };
  writeFileSync(join(backup, 'manifest.json'), JSON.stringify(signedManifest(manifest)));
}

function untouched(data: string): void {
  expect(markerOf(join(data, 'lift.auth.db'))).toBe('current auth');
  expect(markerOf(join(data, 'lift.memory.db'))).toBe('current memory');
  expect(readdirSync(data).filter((name) => name.startsWith('pre-restore-'))).toEqual([]);
}

describe('lift restore refuses a manifest that is not whole', () => {
  it('refuses an empty file list, naming the field, and moves nothing aside', async () => {
    const { home, data, backup } = installation();
    writeRawManifest(backup, []);
    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lift: restore: .*manifest\.json is not a manifest of "lift backup": \/files: Expected array length to be greater or equal to 1; nothing was restored\n$/);
    untouched(data);
  });

  it('refuses an entry without a name with the path of the field, not a stack trace', async () => {
    const { home, data, backup } = installation();
    writeRawManifest(backup, [{ kind: 'sqlite', restoreTo: 'data/lift.auth.db', bytes: 1, sha256: '0'.repeat(64) }]);
    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lift: restore: .*: \/files\/0\/name: Expected required property; nothing was restored\n$/);
    untouched(data);
  });

  it('refuses a backup that leaves out a database the installation has, unless --partial', async () => {
    const { home, data, backup } = installation();
    createMarkedDatabase(join(backup, 'lift.auth.db'), 'backup auth');
    writeManifest(backup, 'sqlite', [{ name: 'lift.auth.db', kind: 'sqlite', restoreTo: 'data/lift.auth.db' }]);
    const refused = await runLift(home, {}, 'restore', backup);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('lift: restore: the backup holds no lift.memory.db, which this installation has; pass --partial to restore only the files it holds and keep the others; nothing was restored\n');
    untouched(data);

    const partial = await runLift(home, {}, 'restore', backup, '--partial');
    expect(partial.code, partial.stderr).toBe(0);
    expect(markerOf(join(data, 'lift.auth.db'))).toBe('backup auth');
    expect(markerOf(join(data, 'lift.memory.db'))).toBe('current memory');
  });
});
