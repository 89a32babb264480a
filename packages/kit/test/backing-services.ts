import { testSchemaName } from '../../../tests/support/test-schema.js';
/**
 * The real PostgreSQL and Redis of a test run. CI sets both; without them the suites that need
 * them are skipped, and say so loudly, rather than passing without having run.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testRedisUrl = process.env.TEST_REDIS_URL;

export function warnWhenSkipped(suite: string, variable: 'TEST_DATABASE_URL' | 'TEST_REDIS_URL'): void {
  if (process.env[variable] === undefined) {
    process.stderr.write(`\n*** SKIPPED: ${suite} needs ${variable}; set it to run against the real server ***\n\n`);
  }
}

/**
 * A name no other test (or earlier run) uses: a schema, a key prefix. Schemas made this way are
 * dropped after the whole run (tests/support/build-services.global.ts), never during it:
 * dropping a schema while another test's migrator introspects the catalogue fails that test.
 */
export function uniqueName(prefix: string): string {
  return testSchemaName(prefix.replace(/-/g, '_'));
}
