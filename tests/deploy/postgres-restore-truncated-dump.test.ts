import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/backend.js';
import { skipUnless } from '../support/skip-rule.js';
import { databaseUrl, onServer, postgresToolsInstalled, writeManifest } from './backup-fixtures.js';
import { runLift } from './lift-command.js';

// Regression: pg_restore was piped into psql --single-transaction; when pg_restore died half-way
// through a truncated dump, psql read the end of its input and committed the dropped schema with
// part of the rows. A checksum in the manifest does not help when the dump was cut before it was
// summed (a disk that filled up, a copy that stopped).
const skip = skipUnless(testDatabaseUrl !== undefined && postgresToolsInstalled, 'lift restore of a truncated dump', 'TEST_DATABASE_URL and pg_dump, pg_restore, psql');
const rows = 200_000;

describe.skipIf(skip)('lift restore of a truncated PostgreSQL dump', () => {
  const database = `lift_restore_truncated_${randomBytes(4).toString('hex')}`;
  const url = testDatabaseUrl === undefined ? '' : databaseUrl(database);
  const home = mkdtempSync(join(tmpdir(), 'lift-restore-truncated-'));
  const env = { DATABASE_URL: url };

  beforeAll(async () => {
    await onServer(`create database ${database}`);
    // md5 text compresses little, so the dump is well over the 3 MB it is cut at.
    await onServer(`create schema auth; create table auth.writes (id bigint primary key, payload text not null); insert into auth.writes select g, md5(g::text) || md5((g + 1)::text) from generate_series(1, ${rows}) g`, url);
  });
  afterAll(async () => {
    rmSync(home, { recursive: true, force: true });
    if (!skip) await onServer(`drop database if exists ${database} with (force)`);
  });

  it('fails with a clear message and leaves the database as it was', async () => {
    const backup = join(home, 'backup');
    const backedUp = await runLift(home, env, 'backup', '--to', backup);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    const dump = join(backup, 'postgres.dump');
    expect(statSync(dump).size).toBeGreaterThan(4 * 1024 * 1024);
    truncateSync(dump, 3 * 1024 * 1024);
    const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as { files: { name: string; kind: 'pg_dump'; schemas: string[] }[] };
    writeManifest(backup, 'postgres', manifest.files.map(({ name, kind, schemas }) => ({ name, kind, schemas })));
    // Written after the backup: a restore that went through would take it away.
    await onServer("insert into auth.writes values (0, 'after the backup')", url);

    const result = await runLift(home, env, 'restore', backup);
    const [state] = await onServer<{ n: string; marker: string | null }>("select count(*) as n, max(payload) filter (where id = 0) as marker from auth.writes", url).catch((error: Error) => [{ n: error.message, marker: null }]);
    expect(state).toEqual({ n: String(rows + 1), marker: 'after the backup' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/lift: restore: .*postgres\.dump cannot be read to the end, so nothing was changed: pg_restore exited with 1/);
  });
});
