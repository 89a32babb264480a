import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { swapIn } from '../../cli/src/restore-staging.js';

// The last step of a restore moves the current files aside and renames the staged copies in; a
// rename that fails half-way must put every moved file back and remove the staged copies.
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('swapIn', () => {
  it('moves the current files back and removes the staged copies when a rename fails', () => {
    const home = mkdtempSync(join(tmpdir(), 'lift-swap-undo-'));
    homes.push(home);
    const data = join(home, 'data');
    mkdirSync(data);
    const aside = join(data, 'pre-restore-test');
    for (const name of ['lift.auth.db', 'lift.auth.db-wal', 'lift.billing.db']) writeFileSync(join(data, name), `current ${name}`);
    writeFileSync(join(data, '.lift.auth.db.restoring-1'), 'staged auth');
    // billing's staged copy has gone (its rename will fail) after auth's was renamed in.
    const staged = [
      { staged: join(data, '.lift.auth.db.restoring-1'), target: join(data, 'lift.auth.db') },
      { staged: join(data, '.lift.billing.db.restoring-2'), target: join(data, 'lift.billing.db') },
    ];

    expect(() => swapIn(staged, [join(data, 'lift.auth.db'), join(data, 'lift.billing.db')].map((file) => ({ file, directory: aside })))).toThrow(/putting the files in place failed \(ENOENT.*\); the moves were undone/);
    expect(readFileSync(join(data, 'lift.auth.db'), 'utf8')).toBe('current lift.auth.db');
    expect(readFileSync(join(data, 'lift.auth.db-wal'), 'utf8')).toBe('current lift.auth.db-wal');
    expect(readFileSync(join(data, 'lift.billing.db'), 'utf8')).toBe('current lift.billing.db');
    expect(existsSync(join(data, '.lift.auth.db.restoring-1'))).toBe(false);
    expect(readdirSync(aside)).toEqual([]);
  });
});
