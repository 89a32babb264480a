import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database, type ServiceMigrations } from '@lift/kit';
import { authMigrations } from '../../services/auth/src/migrations/index.js';
import { testDatabaseUrl } from '../support/backend.js';
import { skipUnless } from '../support/skip-rule.js';
import { testSchemaName } from '../support/test-schema.js';

// Compose starts every replica of a service at once on one fresh PostgreSQL (docker-compose.prod.yml
// runs three auth replicas); each runs the migrations at start. Four at once, as a deployment does.
const replicas = 4;
const skip = skipUnless(testDatabaseUrl !== undefined, 'concurrent migrations of replicas starting together', 'TEST_DATABASE_URL');

/** Auth's migrations, each counting how often its `up` ran (the tables are still made). */
function countedMigrations(runs: Map<string, number>): ServiceMigrations {
  return Object.fromEntries(
    Object.entries(authMigrations).map(([name, migration]) => [
      name,
      {
        ...migration,
        up: async (db: Parameters<typeof migration.up>[0]) => {
          runs.set(name, (runs.get(name) ?? 0) + 1);
          await migration.up(db);
        },
      },
    ]),
  );
}

describe.skipIf(skip)('replicas migrating one fresh PostgreSQL schema at once', () => {
  const schema = testSchemaName('concurrent_migrations');
  const databases: Database<unknown>[] = [];

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.close()));
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  it('runs each migration exactly once, and no replica fails', async () => {
    const runs = new Map<string, number>();
    const migrations = countedMigrations(runs);
    for (let replica = 0; replica < replicas; replica += 1) {
      databases.push(await openDatabase({ location: { dialect: 'postgres', connectionString: testDatabaseUrl as string, schema } }));
    }

    const outcomes = await Promise.allSettled(databases.map((database) => migrateToLatest(database, migrations)));

    const failures = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const applied = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []));
    const names = Object.keys(authMigrations);
    // Each migration was applied by one replica; the others found it done.
    expect([...applied].sort()).toEqual(names);
    expect(Object.fromEntries(runs)).toEqual(Object.fromEntries(names.map((name) => [name, 1])));

    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(`select name from "${schema}".kysely_migration order by name`);
      expect(rows.map((row) => row.name)).toEqual(names);
    } finally {
      await client.end();
    }
  });
});
