import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMarkedDatabase, markerOf } from './backup-fixtures.js';
import { runLift } from './lift-command.js';

// Regression: restore wrote to the paths recorded at backup time (data/lift.auth.db) after moving
// the configured database (store/lift.auth.db) aside, so the platform started with no data.
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('lift restore on SQLite', () => {
  it('restores into the database DATABASE_URL names now, not where the backup was taken', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lift-restore-configured-'));
    homes.push(home);
    mkdirSync(join(home, 'data'), { mode: 0o700 });
    createMarkedDatabase(join(home, 'data', 'lift.auth.db'), 'backed up');
    createMarkedDatabase(join(home, 'data', 'lift.gateway.outbox.db'), 'outbox backed up');
    const backup = join(home, 'backup');
    const backedUp = await runLift(home, {}, 'backup', '--to', backup);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    // The installation moves: its database now lives in store/ under another base name.
    rmSync(join(home, 'data', 'lift.auth.db'));
    mkdirSync(join(home, 'store'), { mode: 0o700 });
    createMarkedDatabase(join(home, 'store', 'main.auth.db'), 'current');

    const env = { DATABASE_URL: 'sqlite:///store/main.db' };
    const result = await runLift(home, env, 'restore', backup);
    expect(result.code, result.stderr).toBe(0);
    expect(markerOf(join(home, 'store', 'main.auth.db'))).toBe('backed up');
    expect(existsSync(join(home, 'data', 'lift.auth.db'))).toBe(false);
    // The outbox goes where the outbox setting (its default here) puts it.
    expect(markerOf(join(home, 'data', 'lift.gateway.outbox.db'))).toBe('outbox backed up');
    const aside = readdirSync(join(home, 'data')).find((name) => name.startsWith('pre-restore-')) as string;
    expect(markerOf(join(home, 'data', aside, 'main.auth.db'))).toBe('current');
  });

  it('moves aside, without one overwriting the other, two current files of one name', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lift-restore-aside-'));
    homes.push(home);
    mkdirSync(join(home, 'data'), { mode: 0o700 });
    createMarkedDatabase(join(home, 'data', 'lift.auth.db'), 'backed up');
    const backup = join(home, 'backup');
    expect((await runLift(home, {}, 'backup', '--to', backup)).code).toBe(0);
    // A database moved to store/ with a stale copy of the outbox; the outbox setting still names data/.
    mkdirSync(join(home, 'store'), { mode: 0o700 });
    createMarkedDatabase(join(home, 'store', 'lift.gateway.outbox.db'), 'stale copy');
    createMarkedDatabase(join(home, 'data', 'lift.gateway.outbox.db'), 'current outbox');

    const result = await runLift(home, { DATABASE_URL: 'sqlite:///store/lift.db' }, 'restore', backup);
    expect(result.code, result.stderr).toBe(0);
    const aside = join(home, 'data', readdirSync(join(home, 'data')).find((name) => name.startsWith('pre-restore-')) as string);
    const kept = [join(aside, 'lift.gateway.outbox.db'), join(aside, 'store', 'lift.gateway.outbox.db')].filter((file) => existsSync(file)).map(markerOf);
    expect(kept.sort()).toEqual(['current outbox', 'stale copy']);
  });
});
