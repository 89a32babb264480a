import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildServices } from '../../cli/src/build-services.js';

/** Every schema a test makes starts with this; nothing else may. */
const testSchemaPattern = 'lift_test_%';

async function dropTestSchemas(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname like $1', [testSchemaPattern]);
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Cross-service suites run the same bundles that `lift up` runs; build them once per test run.
 * Test schemas in PostgreSQL are dropped after the run (and leftovers of an interrupted run before
 * it), never while tests run: a concurrent DROP SCHEMA breaks other tests' catalogue queries.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  await Promise.all([buildServices(root, ['gateway', 'auth', 'memory', 'registry', 'billing', 'observability']), dropTestSchemas()]);
  return dropTestSchemas;
}
