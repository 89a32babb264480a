import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/backend.js';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { testSchemaName } from '../support/test-schema.js';
import { scratchDirectories } from '../support/scratch-directories.js';

const scratch = scratchDirectories();

/** `node dist/services/<name>/main.js migrate`, as a Kubernetes Job or a deploy script runs it. */
function migrate(service: string, cwd: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'dist', 'services', service, 'main.js'), 'migrate'], {
    cwd,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const noPostgres = skipUnless(testDatabaseUrl !== undefined, 'main.js migrate on PostgreSQL', 'TEST_DATABASE_URL');

describe('a service\'s migrate-only mode (main.js migrate)', () => {
  it('migrates the registry\'s SQLite file and exits 0 without listening; a second run applies nothing', () => {
    const home = scratch('lift-migrate-');
    // spawnSync returns only once the process exits: a service that went on to serve would time out.
    const first = migrate('registry', home, { DATABASE_URL: 'sqlite:///data/lift.db' });
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/applied \d+ migration\(s\)/);
    const database = new BetterSqlite3(join(home, 'data', 'lift.registry.db'));
    const migrations = database.prepare('select name from kysely_migration order by name').all() as { name: string }[];
    database.close();
    expect(migrations.length).toBeGreaterThan(0);
    const second = migrate('registry', home, { DATABASE_URL: 'sqlite:///data/lift.db' });
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('the tables are at the latest version');
  });

  it('says the gateway has nothing to migrate, and exits 0', () => {
    const result = migrate('gateway', scratch('lift-migrate-'), {});
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('gateway has no database of its own: nothing to migrate');
  });

  it('validates the configuration first: a bad variable is named and the exit code is 1', () => {
    const result = migrate('auth', scratch('lift-migrate-'), { LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^auth: configuration error: LOG_LEVEL/m);
  });

  it.skipIf(noPostgres)('migrates a fresh PostgreSQL schema (exit 1 naming the failure when the server refuses)', async () => {
    const schema = testSchemaName('migrate_only');
    const result = migrate('billing', scratch('lift-migrate-'), { DATABASE_URL: testDatabaseUrl as string, DATABASE_SCHEMA: schema });
    expect(result.code, result.output).toBe(0);
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from "${schema}".kysely_migration`);
      expect(Number(rows[0]?.n)).toBeGreaterThan(0);
    } finally {
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
    const refused = migrate('billing', scratch('lift-migrate-'), { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', DATABASE_SCHEMA: schema });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('billing: migration failed:');
  });
});
