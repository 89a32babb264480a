import { describe, expect, it } from 'vitest';
import { createLogger, databaseLocation, openDatabase, prepareDatabase } from '../src/index.js';
import { closeWhenDone } from './helper.js';

describe('a database that does not answer', () => {
  it('keeps the service unready, naming the database, instead of crashing it', async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const database = await openDatabase({ location: databaseLocation('postgresql://lift@127.0.0.1:1/lift', 'auth') });
    const preparation = prepareDatabase(database, {}, createLogger({ service: 'test', version: '0', level: 'silent' }));
    closeWhenDone(async () => {
      preparation.stop();
      await database.close();
    });
    await expect(preparation.readiness.check()).rejects.toThrow();
    expect(preparation.readiness.name).toBe('database');
    await expect.poll(async () => preparation.readiness.check().catch((error: Error) => error.message)).toMatch(/ECONNREFUSED/);
  });
});

const databaseUrl = process.env.TEST_DATABASE_URL;

/** Ends a server process's connection from another one, as a server restart or failover would. */
async function terminateBackend(pid: number | undefined): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

// Regression (#21, PostgreSQL crashing under writes): an idle pooled connection that the server
// dropped raised an unhandled 'error' on the pool, and the whole service exited.
describe.skipIf(databaseUrl === undefined)('a PostgreSQL connection lost while idle in the pool', () => {
  it('is reported and replaced: the process lives on and the next query works', async () => {
    const warnings: string[] = [];
    const database = await openDatabase({ location: databaseLocation(databaseUrl as string, 'kit_idle_loss'), log: { warn: (_bindings, message) => warnings.push(message) } });
    closeWhenDone(() => database.close());
    const { sql } = await import('kysely');
    const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]?.pid;
    // What a server restart does to that (now idle) connection.
    await terminateBackend(pid);
    await expect.poll(() => warnings).toContain('an idle database connection was lost; the pool opens a new one when needed');
    expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows).toEqual([{ one: 1 }]);
  });
});

describe.skipIf(databaseUrl === undefined)('a PostgreSQL connection lost while checked out (between two statements of a transaction)', () => {
  it('fails that transaction as an outage, never the process, and the next query works', async () => {
    const warnings: string[] = [];
    const database = await openDatabase({ location: databaseLocation(databaseUrl as string, 'kit_busy_loss'), log: { warn: (_bindings, message) => warnings.push(message) } });
    closeWhenDone(() => database.close());
    const { sql } = await import('kysely');
    const { isDatabaseOutage } = await import('../src/db/database-outage.js');
    const failure = await database.db
      .transaction()
      .execute(async (transaction) => {
        const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(transaction)).rows[0]?.pid;
        await terminateBackend(pid);
        await expect.poll(() => warnings.length).toBeGreaterThan(0);
        await sql`select 1`.execute(transaction);
      })
      .catch((error: unknown) => error);
    expect(warnings[0]).toMatch(/database connection in use was lost/);
    expect(isDatabaseOutage(failure)).toBe(true);
    expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows).toEqual([{ one: 1 }]);
  });
});
