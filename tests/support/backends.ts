import { skipUnless } from './skip-rule.js';

/** The real PostgreSQL and Redis of a test run, when it has them (CI sets both). */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testRedisUrl = process.env.TEST_REDIS_URL;

/** Where a service's suite runs: its database and its shared state. */
export interface Backend {
  readonly name: string;
  /** PostgreSQL (a fresh schema) and Redis (a fresh key prefix) rather than SQLite and in-process state. */
  readonly postgres: boolean;
}

export const sqliteAndMemory: Backend = { name: 'SQLite + in-process state', postgres: false };
export const postgresAndRedis: Backend = { name: 'PostgreSQL + Redis', postgres: true };

/**
 * The backends table for `describe.each(backends)`: always SQLite with in-process state; also
 * PostgreSQL with Redis when TEST_DATABASE_URL and TEST_REDIS_URL are set — skipped loudly
 * otherwise, and a failure under CI=true.
 */
export const backends: readonly Backend[] = skipUnless(
  testDatabaseUrl !== undefined && testRedisUrl !== undefined,
  'suites on PostgreSQL + Redis',
  'TEST_DATABASE_URL and TEST_REDIS_URL',
)
  ? [sqliteAndMemory]
  : [sqliteAndMemory, postgresAndRedis];
