import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/backend.js';
import { skipUnless } from '../support/skip-rule.js';
import { databaseUrl, onServer, postgresToolsInstalled, writeManifest } from './backup-fixtures.js';
import { runLift } from './lift-command.js';

// Regression: restore dropped every schema the manifest listed, whatever it was ("public" too),
// and replayed whatever the dump held. Now the manifest's schemas must be the services' and the
// dump's own table of contents must name no other.
const skip = skipUnless(testDatabaseUrl !== undefined && postgresToolsInstalled, 'lift restore refuses foreign schemas', 'TEST_DATABASE_URL and pg_dump, pg_restore, psql');

describe.skipIf(skip)('lift restore on PostgreSQL replaces only the services\' schemas', () => {
  const database = `lift_restore_schemas_${randomBytes(4).toString('hex')}`;
  const url = testDatabaseUrl === undefined ? '' : databaseUrl(database);
  const home = mkdtempSync(join(tmpdir(), 'lift-restore-schemas-'));
  const env = { DATABASE_URL: url };

  function dump(directory: string, ...schemas: string[]): void {
    mkdirSync(directory, { mode: 0o700 });
    const result = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', ...schemas.map((schema) => `--schema=${schema}`), `--file=${join(directory, 'postgres.dump')}`, `--dbname=${url}`], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  }
  const count = async (table: string) => Number((await onServer<{ n: string }>(`select count(*) as n from ${table}`, url))[0]?.n);

  beforeAll(async () => {
    await onServer(`create database ${database}`);
    await onServer("create table public.keep (id int); insert into public.keep values (1), (2); create schema auth; create table auth.writes (id int); insert into auth.writes values (1); create schema billing; create table billing.writes (id int)", url);
  });
  afterAll(async () => {
    rmSync(home, { recursive: true, force: true });
    if (!skip) await onServer(`drop database if exists ${database} with (force)`);
  });

  it('refuses a manifest that lists a schema no service has (public), and drops nothing', async () => {
    const backup = join(home, 'public-listed');
    dump(backup, 'auth');
    writeManifest(backup, 'postgres', [{ name: 'postgres.dump', kind: 'pg_dump', schemas: ['public', 'auth'] }]);
    await onServer('insert into auth.writes values (2)', url);

    const result = await runLift(home, env, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("lift: restore: the manifest would replace schema(s) public with");
    expect(await count('public.keep')).toBe(2);
    expect(await count('auth.writes')).toBe(2);
  });

  it('refuses a dump whose table of contents names a schema the manifest does not list', async () => {
    const backup = join(home, 'billing-unlisted');
    dump(backup, 'auth', 'billing');
    writeManifest(backup, 'postgres', [{ name: 'postgres.dump', kind: 'pg_dump', schemas: ['auth'] }]);
    await onServer('insert into billing.writes values (7)', url);

    const result = await runLift(home, env, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('holds objects of billing, which the manifest does not list (it lists auth)');
    expect(await count('billing.writes')).toBe(1);
  });

  it('refuses a schema outside DATABASE_SCHEMA when that names the one schema of the services', async () => {
    const backup = join(home, 'outside-database-schema');
    dump(backup, 'billing');
    writeManifest(backup, 'postgres', [{ name: 'postgres.dump', kind: 'pg_dump', schemas: ['billing'] }]);

    const result = await runLift(home, { ...env, DATABASE_SCHEMA: 'auth' }, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the services' schemas are auth");
    expect(await count('billing.writes')).toBe(1);
  });
});
