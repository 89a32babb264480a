import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMarkedDatabase } from './backup-fixtures.js';
import { runLift } from './lift-command.js';

// Regression: DATABASE_URL=file:/run/secrets/… was taken for an SQLite path, so lift backup and
// restore looked for a database in "<home>/file:/run/…" instead of the one the services use.
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function home(): string {
  const directory = mkdtempSync(join(tmpdir(), 'lift-secret-reference-'));
  homes.push(directory);
  return directory;
}

describe('lift backup with DATABASE_URL given as a secret reference', () => {
  it('reads the URL from a file: reference, as the services do', async () => {
    const directory = home();
    mkdirSync(join(directory, 'store'), { mode: 0o700 });
    createMarkedDatabase(join(directory, 'store', 'lift.auth.db'), 'backed up');
    const secret = join(directory, 'database-url');
    writeFileSync(secret, 'sqlite:///store/lift.db\n', { mode: 0o600 });

    const result = await runLift(directory, { DATABASE_URL: `file:${secret}` }, 'backup', '--to', join(directory, 'backup'));
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(directory, 'backup', 'manifest.json'), 'utf8')) as { database: string; files: { name: string }[] };
    expect(manifest.database).toBe('sqlite:///store/lift.db');
    expect(manifest.files.map((file) => file.name)).toEqual(['lift.auth.db']);
  });

  it('resolves vault: references through the kit, and says why one cannot be', async () => {
    const directory = home();
    const result = await runLift(directory, { DATABASE_URL: 'vault:lift/database#url', VAULT_ADDR: '', VAULT_TOKEN: '' }, 'backup', '--to', join(directory, 'backup'));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('lift: DATABASE_URL: vault references need VAULT_ADDR and VAULT_TOKEN\n');
  });
});
