import { testSchemaName } from '../../../tests/support/test-schema.js';

/** The real PostgreSQL and Redis of a test run (tests/support/backend.ts): CI sets both. */
export { testDatabaseUrl, testRedisUrl } from '../../../tests/support/backend.js';

/**
 * A name no other test (or earlier run) uses: a schema, a key prefix. Schemas made this way are
 * dropped after the whole run (tests/support/build-services.global.ts), never during it:
 * dropping a schema while another test's migrator introspects the catalogue fails that test.
 */
export function uniqueName(prefix: string): string {
  return testSchemaName(prefix.replace(/-/g, '_'));
}
