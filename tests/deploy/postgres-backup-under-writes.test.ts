import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/backend.js';
import { skipUnless } from '../support/skip-rule.js';
import { databaseUrl, onServer, postgresToolsInstalled } from './backup-fixtures.js';
import { runLift } from './lift-command.js';
import { scratchDirectories } from '../support/scratch-directories.js';

const scratch = scratchDirectories();

const skip = skipUnless(testDatabaseUrl !== undefined && postgresToolsInstalled, 'lift backup and restore on PostgreSQL', 'TEST_DATABASE_URL and pg_dump, pg_restore, psql');

// Two services' schemas, written together: one snapshot must hold both or neither of each write.
const schemas = ['auth', 'billing'];
const payload = (id: number) => `${id}:${'y'.repeat(500)}`;

/** The rows each table of the dump holds, read from the dump itself (pg_restore's SQL, COPY blocks). */
function rowsInDump(file: string): Map<string, string[]> {
  const sql = spawnSync('pg_restore', ['--data-only', '--file=-', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const tables = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of sql.stdout.split('\n')) {
    const copy = /^COPY (\S+) /.exec(line);
    if (copy) tables.set(copy[1] as string, (current = []));
    else if (line === '\\.') current = undefined;
    else current?.push(line);
  }
  return tables;
}

describe.skipIf(skip)('lift backup and restore on PostgreSQL', () => {
  const database = `lift_backup_${randomBytes(4).toString('hex')}`;
  const url = testDatabaseUrl === undefined ? '' : databaseUrl(database);
  const home = scratch('lift-backup-pg-');
  const env = { DATABASE_URL: url };

  beforeAll(async () => {
    await onServer(`create database ${database}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const schema of schemas) await client.query(`create schema ${schema}; create table ${schema}.writes (id bigint primary key, payload text not null)`);
    await client.query(`insert into auth.writes select g, g || ':' || repeat('y', 500) from generate_series(1, 20000) g`);
    await client.query('insert into billing.writes select id, payload from auth.writes');
    await client.end();
  });
  afterAll(async () => {
    if (!skip) await onServer(`drop database if exists ${database} with (force)`);
  });

  it('dumps while both schemas are written to; wiped and restored, they hold exactly the dump\'s rows — every write acknowledged before it started included', async () => {
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    let acknowledged = 20_000;
    let writing = true;
    // One transaction per write across both schemas, each acknowledged when its commit returns.
    const writes = (async () => {
      while (writing) {
        const id = acknowledged + 1;
        await writer.query('begin');
        for (const schema of schemas) await writer.query(`insert into ${schema}.writes (id, payload) values ($1, $2)`, [id, payload(id)]);
        await writer.query('commit');
        acknowledged = id;
      }
    })();
    const acknowledgedBeforeBackup = acknowledged;
    const backupDirectory = join(home, 'backup');
    const backup = await runLift(home, env, 'backup', '--to', backupDirectory);
    writing = false;
    await writes;
    await writer.end();
    expect(backup.code, backup.stderr).toBe(0);
    expect(acknowledged).toBeGreaterThan(acknowledgedBeforeBackup);

    const manifest = JSON.parse(readFileSync(join(backupDirectory, 'manifest.json'), 'utf8')) as { backend: string; database: string; files: { name: string; kind: string; schemas: string[] }[] };
    expect(manifest).toMatchObject({ backend: 'postgres', files: [{ name: 'postgres.dump', kind: 'pg_dump', schemas }] });
    const dumped = rowsInDump(join(backupDirectory, 'postgres.dump'));
    const authRows = dumped.get('auth.writes') as string[];
    expect(authRows.length).toBeGreaterThanOrEqual(acknowledgedBeforeBackup);
    // One snapshot across the schemas: both tables hold the same writes.
    expect(dumped.get('billing.writes')).toEqual(authRows);

    for (const schema of schemas) await onServer(`drop schema ${schema} cascade`, url);
    const restore = await runLift(home, env, 'restore', backupDirectory);
    expect(restore.code, restore.stderr).toBe(0);

    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    try {
      for (const schema of schemas) {
        const { rows } = await reader.query<{ line: string }>(`select id || E'\\t' || payload as line from ${schema}.writes order by id`);
        expect(rows.map((row) => row.line)).toEqual(authRows);
      }
      const { rows } = await reader.query<{ n: string }>('select count(*) as n from auth.writes where id <= $1', [acknowledgedBeforeBackup]);
      expect(Number(rows[0]?.n)).toBe(acknowledgedBeforeBackup);
    } finally {
      await reader.end();
    }
  });

  it('refuses to restore while other sessions use the database, naming them', async () => {
    const backupDirectory = join(home, 'backup-2');
    expect((await runLift(home, env, 'backup', '--to', backupDirectory)).code).toBe(0);
    const service = new pg.Client({ connectionString: url, application_name: 'auth' });
    await service.connect();
    try {
      const refused = await runLift(home, env, 'restore', backupDirectory);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('1 other session(s) are connected to the database (auth); stop the services first');
    } finally {
      await service.end();
    }
  });
});
