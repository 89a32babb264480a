import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runLift } from './lift-command.js';

// lift backup signs with LIFT_BACKUP_KEY: lift setup (and lift up's development path, the same
// ensureDevelopmentAdmin) generate it into .env.local when neither the environment nor the file has one.
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

const envFileOf = (home: string) => parseEnv(readFileSync(join(home, '.env.local'), 'utf8'));

describe('lift setup generates LIFT_BACKUP_KEY', () => {
  it('writes a key of at least 32 bytes once, in development and in production, and keeps it on the next run', async () => {
    for (const nodeEnv of ['development', 'production']) {
      const home = mkdtempSync(join(tmpdir(), 'lift-setup-backup-key-'));
      homes.push(home);
      expect((await runLift(home, { LIFT_BACKUP_KEY: '', NODE_ENV: nodeEnv }, 'setup')).code).toBe(0);
      const key = envFileOf(home).LIFT_BACKUP_KEY ?? '';
      expect(Buffer.byteLength(key)).toBeGreaterThanOrEqual(32);
      expect((await runLift(home, { LIFT_BACKUP_KEY: '', NODE_ENV: nodeEnv }, 'setup')).code).toBe(0);
      expect(envFileOf(home).LIFT_BACKUP_KEY).toBe(key);
    }
  });

  it('writes none when the environment sets one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lift-setup-backup-key-'));
    homes.push(home);
    writeFileSync(join(home, '.env.local'), 'NODE_ENV=development\n');
    expect((await runLift(home, {}, 'setup')).code).toBe(0);
    expect(envFileOf(home).LIFT_BACKUP_KEY).toBeUndefined();
  });
});
