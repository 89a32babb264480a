import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/backend.js';
import { skipUnless } from '../support/skip-rule.js';
import { databaseUrl, onServer, postgresToolsInstalled } from './backup-fixtures.js';
import { runLift } from './lift-command.js';

// Regression (H1): a dump whose COMMENT entry's text was patched to end the statement and run its
// own SQL passed the table-of-contents check (the entry is in schema auth) and the checksum (fixed
// up in the manifest), and restore ran it. The manifest is signed now; a changed dump is refused.
const skip = skipUnless(testDatabaseUrl !== undefined && postgresToolsInstalled, 'lift restore refuses a tampered dump', 'TEST_DATABASE_URL and pg_dump, pg_restore, psql');
const comment = 'x'.repeat(64);
const injected = "';DROP TABLE public.keep;--".padEnd(64, ' ');

describe.skipIf(skip)('lift restore refuses a dump changed after lift backup signed it', () => {
  const database = `lift_restore_tampered_${randomBytes(4).toString('hex')}`;
  const url = testDatabaseUrl === undefined ? '' : databaseUrl(database);
  const home = mkdtempSync(join(tmpdir(), 'lift-restore-tampered-'));
  const backup = join(home, 'backup');
  const env = { DATABASE_URL: url };

  beforeAll(async () => {
    await onServer(`create database ${database}`);
    await onServer(`create table public.keep (id int); insert into public.keep values (1); create schema auth; create table auth.users (id int); comment on table auth.users is '${comment}'`, url);
  });
  afterAll(async () => {
    rmSync(home, { recursive: true, force: true });
    if (!skip) await onServer(`drop database if exists ${database} with (force)`);
  });

  it('refuses the patched dump by its signature, and public.keep stays', async () => {
    const backedUp = await runLift(home, env, 'backup', '--to', backup);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    const dump = readFileSync(join(backup, 'postgres.dump'));
    const at = dump.indexOf(comment);
    expect(at).toBeGreaterThan(0);
    dump.write(injected, at, 'latin1');
    writeFileSync(join(backup, 'postgres.dump'), dump);
    const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as { files: { name: string; sha256: string }[] };
    for (const file of manifest.files) if (file.name === 'postgres.dump') file.sha256 = createHash('sha256').update(dump).digest('hex');
    writeFileSync(join(backup, 'manifest.json'), JSON.stringify(manifest));

    const result = await runLift(home, env, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("lift: restore: the backup's signature does not match LIFT_BACKUP_KEY");
    expect(await onServer('select id from public.keep', url)).toEqual([{ id: 1 }]);
  });
});
