import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl, testRedisUrl } from '../support/backend.js';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { testRunId, testSchemaName } from '../support/test-schema.js';
import { composeProject, hasDockerCompose, scratchSecrets } from './compose-project.js';
import { seedServices } from './seed-services.js';

// The images run the same bundles as dist/services. Each service is started here with exactly the
// environment docker-compose.prod.yml gives it — NODE_ENV=production, secrets through file:
// references — except where the compose network's names cannot resolve on this machine: the
// database and Redis become the test run's (a fresh schema and key prefix per service), the port a
// free one. It must become ready and stop gracefully on SIGTERM, as in a container.
const skip = skipUnless(
  hasDockerCompose() && testDatabaseUrl !== undefined && testRedisUrl !== undefined,
  'every service booting in production mode from docker-compose.prod.yml\'s environment',
  'docker-compose, TEST_DATABASE_URL and TEST_REDIS_URL',
);

describe.skipIf(skip)('the production compose environment, booted', () => {
  const project = composeProject();
  const secretsDir = mkdtempSync(join(tmpdir(), 'lift-secrets-'));
  const started: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    project.remove();
    rmSync(secretsDir, { recursive: true, force: true });
  });
  const config = project.resolved(['docker-compose.prod.yml']);
  for (const [name, value] of Object.entries({ ...scratchSecrets, database_url: testDatabaseUrl as string })) writeFileSync(join(secretsDir, name), `${value}\n`);

  it.each(seedServices)('$name becomes ready in production mode and stops cleanly on SIGTERM', async ({ name, schema }) => {
    const env: Record<string, string> = {};
    for (const [variable, value] of Object.entries(config.services[name]?.environment ?? {})) {
      env[variable] = (value ?? '').replace(/^file:\/run\/secrets\//, `file:${secretsDir}/`);
    }
    expect(env.NODE_ENV).toBe('production');
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    env.REDIS_URL = testRedisUrl as string;
    env.REDIS_KEY_PREFIX = `lift_test_${testRunId()}_${process.pid}_${name}:`;
    if ('DATABASE_SCHEMA' in schema.properties) env.DATABASE_SCHEMA = testSchemaName(`compose_${name}`);
    env.HOST = '127.0.0.1';
    env.LOG_LEVEL = 'error';

    const service = startServiceProcess({ name, port: await freePort(), env });
    started.push(service);
    await waitUntilReady(service, 30_000);
    expect(await service.stop(15_000)).toBe(0);
  });
});
