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

// Regression: `drop schema auth cascade` silently dropped what another schema had built on it —
// a view reporting.user_count over auth.users, a foreign key from reporting.notes to it.
const skip = skipUnless(testDatabaseUrl !== undefined && postgresToolsInstalled, 'lift restore refuses dependents in other schemas', 'TEST_DATABASE_URL and pg_dump, pg_restore, psql');

describe.skipIf(skip)('lift restore on PostgreSQL and objects of other schemas that depend on the restored ones', () => {
  const database = `lift_restore_dependents_${randomBytes(4).toString('hex')}`;
  const url = testDatabaseUrl === undefined ? '' : databaseUrl(database);
  const home = mkdtempSync(join(tmpdir(), 'lift-restore-dependents-'));
  const backup = join(home, 'backup');
  const env = { DATABASE_URL: url };
  const reportingObjects = async () => (await onServer<{ name: string }>("select relname as name from pg_class where relnamespace = 'reporting'::regnamespace and relkind in ('v', 'r') order by 1", url)).map((row) => row.name);
  const foreignKeys = async () => Number((await onServer<{ n: string }>("select count(*) as n from pg_constraint where conrelid = 'reporting.notes'::regclass and contype = 'f'", url))[0]?.n);

  beforeAll(async () => {
    await onServer(`create database ${database}`);
    await onServer('create schema auth; create table auth.users (id int primary key, email text); insert into auth.users values (1, \'a@example.com\')', url);
    mkdirSync(backup, { mode: 0o700 });
    const dumped = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--schema=auth', `--file=${join(backup, 'postgres.dump')}`, `--dbname=${url}`], { encoding: 'utf8' });
    expect(dumped.status, dumped.stderr).toBe(0);
    writeManifest(backup, 'postgres', [{ name: 'postgres.dump', kind: 'pg_dump', schemas: ['auth'] }]);
    await onServer('create schema reporting; create view reporting.user_count as select count(*) from auth.users; create table reporting.notes (id int, user_id int references auth.users (id)); insert into auth.users values (2, \'b@example.com\')', url);
  });
  afterAll(async () => {
    rmSync(home, { recursive: true, force: true });
    if (!skip) await onServer(`drop database if exists ${database} with (force)`);
  });

  it('refuses, naming the view and the foreign key, and changes nothing', async () => {
    const result = await runLift(home, env, 'restore', backup);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('reporting.user_count (view) depends on auth.users');
    expect(result.stderr).toContain('notes_user_id_fkey on reporting.notes (table constraint) depends on auth.users');
    expect(result.stderr).toContain('pass --force to drop them; nothing was restored');
    expect(await reportingObjects()).toEqual(['notes', 'user_count']);
    expect(await foreignKeys()).toBe(1);
    expect((await onServer('select id from auth.users', url)).length).toBe(2);
  });

  it('with --force, restores and says what it drops with the schema', async () => {
    const result = await runLift(home, env, 'restore', backup, '--force');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('--force: dropping as well what depends on the restored schemas: notes_user_id_fkey on reporting.notes (table constraint) depends on auth.users');
    expect(result.stdout).toContain('reporting.user_count (view) depends on auth.users');
    expect(await reportingObjects()).toEqual(['notes']);
    expect(await foreignKeys()).toBe(0);
    expect((await onServer('select id from auth.users', url)).length).toBe(1);
  });
});
