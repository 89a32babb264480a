import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { buildServices } from '../../cli/src/build-services.js';

// Runs older than this are over (or crashed): their schemas may go.
const abandonedAfterMs = 6 * 3_600_000;

async function dropSchemas(select: (runId: string) => boolean): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("select nspname from pg_namespace where nspname like 'lift\\_test\\_%'");
    for (const { nspname } of rows) {
      const runId = nspname.split('_')[2] ?? '';
      if (select(runId)) await client.query(`drop schema if exists "${nspname}" cascade`);
    }
  } finally {
    await client.end();
  }
}

/** Test key prefixes in Redis start like test schemas (testSchemaName): the same run id, the same rule. */
async function dropRedisKeys(select: (runId: string) => boolean): Promise<void> {
  const url = process.env.TEST_REDIS_URL;
  if (!url) return;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    for await (const keys of redis.scanStream({ match: 'lift_test_*', count: 1_000 }) as AsyncIterable<string[]>) {
      const chosen = keys.filter((key) => select(key.split('_')[2] ?? ''));
      if (chosen.length > 0) await redis.unlink(...chosen);
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Cross-service suites run the same bundles that `lift up` runs; build them once per test run.
 * Test schemas in PostgreSQL (tests/support/test-schema.ts), and test keys in Redis, are dropped after the run — only this
 * run's, so two runs on one database (a developer's and CI's) never drop each other's — and
 * leftovers of runs that ended hours ago before it. Never while tests run: a concurrent DROP
 * SCHEMA breaks other tests' catalogue queries.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const runId = Date.now().toString(36);
  process.env.LIFT_TEST_RUN = runId;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const isAbandoned = (id: string) => {
    const started = Number.parseInt(id, 36);
    return id === 'adhoc' ? false : Number.isFinite(started) && Date.now() - started > abandonedAfterMs;
  };
  await Promise.all([buildServices(root, ['gateway', 'auth', 'memory', 'registry', 'billing', 'observability']), dropSchemas(isAbandoned), dropRedisKeys(isAbandoned)]);
  return async () => {
    await Promise.all([dropSchemas((id) => id === runId), dropRedisKeys((id) => id === runId)]);
  };
}
