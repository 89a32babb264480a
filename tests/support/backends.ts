import { postgresAndRedis, sqliteAndMemory, testDatabaseUrl, testRedisUrl, type Backend } from './backend.js';
import { skipUnless } from './skip-rule.js';

export { testDatabaseUrl } from './backend.js';

/**
 * The backends table, for `describe.each(backends)`: always SQLite with in-process state; also
 * PostgreSQL with Redis when TEST_DATABASE_URL and TEST_REDIS_URL are set — skipped loudly
 * otherwise, and a failure under CI=true. Only a suite that imports the table says so.
 */
export const backends: readonly Backend[] = skipUnless(
  testDatabaseUrl !== undefined && testRedisUrl !== undefined,
  'suites on PostgreSQL + Redis',
  'TEST_DATABASE_URL and TEST_REDIS_URL',
)
  ? [sqliteAndMemory]
  : [sqliteAndMemory, postgresAndRedis];
