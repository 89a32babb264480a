import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMarkedDatabase, markerOf, writeManifest } from './backup-fixtures.js';
import { runLift } from './lift-command.js';

// Regression: restore wrote each file wherever the manifest's restoreTo said (absolute paths,
// .env.local) and whatever its bytes were. A manifest is only as trustworthy as whoever could
// write to the backup; where files go is decided by the current settings.
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function installation(): { home: string; data: string; backup: string; outside: string } {
  const home = mkdtempSync(join(tmpdir(), 'lift-restore-paths-'));
  homes.push(home);
  const data = join(home, 'data');
  mkdirSync(data, { mode: 0o700 });
  const outside = join(home, 'outside');
  mkdirSync(outside);
  const backup = join(home, 'backup');
  mkdirSync(backup, { mode: 0o700 });
  return { home, data, backup, outside };
}

describe('lift restore decides where files go, and that they are SQLite databases', () => {
  it('refuses files that are no SQLite database, before writing to where the manifest points (an absolute path, .env.local)', async () => {
    const { home, data, backup, outside } = installation();
    const authorizedKeys = join(outside, 'authorized_keys');
    writeFileSync(authorizedKeys, 'ssh-ed25519 AAAA owner\n');
    writeFileSync(join(home, '.env.local'), 'LIFT_DEMO_PASSWORD=unchanged\n');
    createMarkedDatabase(join(data, 'lift.auth.db'), 'current');
    writeFileSync(join(backup, 'lift.auth.db'), 'ssh-ed25519 AAAA attacker\n');
    writeFileSync(join(backup, 'lift.memory.db'), 'DATABASE_URL=postgresql://attacker@evil.example/lift\n');
    writeManifest(backup, 'sqlite', [
      { name: 'lift.auth.db', kind: 'sqlite', restoreTo: authorizedKeys },
      { name: 'lift.memory.db', kind: 'sqlite', restoreTo: '.env.local' },
    ]);

    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`lift: restore: ${join(backup, 'lift.auth.db')} is no sound SQLite database`);
    expect(result.stderr).toContain('nothing was restored');
    expect(readFileSync(authorizedKeys, 'utf8')).toBe('ssh-ed25519 AAAA owner\n');
    expect(readFileSync(join(home, '.env.local'), 'utf8')).toBe('LIFT_DEMO_PASSWORD=unchanged\n');
    expect(markerOf(join(data, 'lift.auth.db'))).toBe('current');
    expect(readdirSync(data).some((name) => name.startsWith('pre-restore-'))).toBe(false);
  });

  it('puts a sound database where the settings keep it, ignoring an absolute restoreTo', async () => {
    const { home, data, backup, outside } = installation();
    createMarkedDatabase(join(data, 'lift.auth.db'), 'current');
    createMarkedDatabase(join(backup, 'lift.auth.db'), 'from the backup');
    writeManifest(backup, 'sqlite', [{ name: 'lift.auth.db', kind: 'sqlite', restoreTo: join(outside, 'lift.auth.db') }]);

    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code, result.stderr).toBe(0);
    expect(markerOf(join(data, 'lift.auth.db'))).toBe('from the backup');
    expect(existsSync(join(outside, 'lift.auth.db'))).toBe(false);
  });

  it('refuses, naming them, files that are no service database or outbox of the installation', async () => {
    const { home, data, backup, outside } = installation();
    createMarkedDatabase(join(data, 'lift.auth.db'), 'current');
    createMarkedDatabase(join(backup, 'lift.auth.db'), 'from the backup');
    createMarkedDatabase(join(backup, 'authorized_keys'), 'planted');
    createMarkedDatabase(join(backup, 'lift.secrets.db'), 'planted');
    writeManifest(backup, 'sqlite', [
      { name: 'lift.auth.db', kind: 'sqlite', restoreTo: 'data/lift.auth.db' },
      { name: 'authorized_keys', kind: 'sqlite', restoreTo: join(outside, 'authorized_keys') },
      { name: 'lift.secrets.db', kind: 'sqlite', restoreTo: 'data/lift.secrets.db' },
    ]);

    const result = await runLift(home, {}, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lift: restore: the manifest lists authorized_keys, lift.secrets.db, which are no file of this installation (lift.auth.db, lift.billing.db');
    expect(existsSync(join(outside, 'authorized_keys'))).toBe(false);
    expect(existsSync(join(data, 'lift.secrets.db'))).toBe(false);
    expect(markerOf(join(data, 'lift.auth.db'))).toBe('current');
  });
});
