import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMarkedDatabase, markerOf, sqliteInstallation, type SqliteInstallation, testBackupKey, writeManifest } from './backup-fixtures.js';
import { runLift } from './lift-command.js';
import { scratchDirectories } from '../support/scratch-directories.js';

// Regression: the manifest's checksums showed damage, not tampering — whoever could write to a
// backup could change a file (rows of their choosing, or SQL in a dump's COMMENT entry) and its
// checksum together, and restore put it in. lift backup now signs the manifest with
// LIFT_BACKUP_KEY, which lives outside the backup, and restore checks the signature first.
const scratch = scratchDirectories();

function installation(): SqliteInstallation {
  return sqliteInstallation(scratch, 'lift-restore-signature-', { current: { 'lift.auth.db': 'current' } });
}

async function backUp(home: string, backup: string, env: Record<string, string> = {}): Promise<string> {
  const result = await runLift(home, env, 'backup', '--to', backup);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** What someone who can write to the backup but has not the key does: a new file, its checksum fixed up. */
function tamper(backup: string, keepSignature: boolean): void {
  rmSync(join(backup, 'lift.auth.db'));
  createMarkedDatabase(join(backup, 'lift.auth.db'), 'forged');
  const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as { files: { name: string; bytes: number; sha256: string }[]; signature?: unknown };
  if (!keepSignature) delete manifest.signature;
  for (const file of manifest.files) {
    const bytes = readFileSync(join(backup, file.name));
    Object.assign(file, { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  writeFileSync(join(backup, 'manifest.json'), JSON.stringify(manifest));
}

const nothingMoved = (data: string) => expect(readdirSync(data).filter((name) => name.startsWith('pre-restore-'))).toEqual([]);

describe('lift restore checks the backup\'s signature before anything else', () => {
  it('restores a backup lift backup signed with LIFT_BACKUP_KEY', async () => {
    const { home, data, backup } = installation();
    const said = await backUp(home, backup);
    expect(said).not.toContain('UNSIGNED');
    expect(JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8'))).toMatchObject({ signature: { algorithm: 'HMAC-SHA256' } });
    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code, result.stderr).toBe(0);
    expect(markerOf(join(data, 'lift.auth.db'))).toBe('current');
  });

  it('refuses a file changed with its checksum after the backup was signed, and changes nothing', async () => {
    const { home, data, backup } = installation();
    await backUp(home, backup);
    tamper(backup, true);
    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lift: restore: the backup's signature does not match LIFT_BACKUP_KEY: it was changed after it was made, or made with another key; pass --trust-unsigned only for/);
    expect(markerOf(join(data, 'lift.auth.db'))).toBe('current');
    nothingMoved(data);
  });

  it('refuses an unsigned backup and one signed with another key unless --trust-unsigned', async () => {
    const { home, data, backup } = installation();
    await backUp(home, backup);
    const other = await runLift(home, { LIFT_BACKUP_KEY: `${testBackupKey}-another-installation` }, 'restore', backup);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("the backup's signature does not match LIFT_BACKUP_KEY");
    tamper(backup, false);
    const unsigned = await runLift(home, {}, 'restore', backup);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain('lift: restore: the backup is unsigned (made without LIFT_BACKUP_KEY, or before lift signed backups)');
    nothingMoved(data);
    const trusted = await runLift(home, {}, 'restore', backup, '--trust-unsigned');
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stdout).toContain("--trust-unsigned: the backup's signature was not checked");
    expect(markerOf(join(data, 'lift.auth.db'))).toBe('forged');
  });

  it('refuses a signed backup when there is no key to check it with, or a key under 32 bytes', async () => {
    const { home, backup } = installation();
    mkdirSync(backup, { mode: 0o700 });
    createMarkedDatabase(join(backup, 'lift.auth.db'), 'from the backup');
    writeManifest(backup, 'sqlite', [{ name: 'lift.auth.db', kind: 'sqlite', restoreTo: 'data/lift.auth.db' }]);
    const keyless = await runLift(home, { LIFT_BACKUP_KEY: '' }, 'restore', backup);
    expect(keyless.stderr).toContain('LIFT_BACKUP_KEY is not set, so the backup\'s signature cannot be checked');
    const short = await runLift(home, { LIFT_BACKUP_KEY: 'too-short' }, 'restore', backup);
    expect(short.stderr).toContain('LIFT_BACKUP_KEY is 9 bytes; it must be at least 32');
  });

  it('backs up without a key, saying the backup is unsigned', async () => {
    const { home, backup } = installation();
    const said = await backUp(home, backup, { LIFT_BACKUP_KEY: '' });
    expect(said).toContain('the backup is UNSIGNED: LIFT_BACKUP_KEY is not set');
    expect(JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8'))).not.toHaveProperty('signature');
  });
});
