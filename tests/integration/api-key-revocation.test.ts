import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { testSchemaName } from '../support/test-schema.js';
import { skipUnless } from '../support/skip-rule.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const onPostgresAndRedis = !skipUnless(databaseUrl !== undefined && redisUrl !== undefined, 'API-key revocation on PostgreSQL + Redis', 'TEST_DATABASE_URL and TEST_REDIS_URL');
const backends = [
  { name: 'SQLite + in-process state: auth\'s outbox relayed to the gateway\'s inbox', production: false },
  ...(onPostgresAndRedis ? [{ name: 'PostgreSQL + Redis: the revocation stream', production: true }] : []),
];

describe.each(backends)('a revoked API key at the real gateway ($name)', ({ production }) => {
  const processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let auth: ServiceProcess;

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lift-revocation-'));
    const [authPort, registryPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const prefix = testSchemaName('revocation');
    const shared = {
      AUTH_SERVICE_URL: `http://127.0.0.1:${authPort}`,
      REGISTRY_SERVICE_URL: `http://127.0.0.1:${registryPort}`,
      GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
      ...(production ? { REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: `${prefix}:` } : {}),
    };
    const database = (service: string): Record<string, string> => (production ? { DATABASE_URL: databaseUrl as string, DATABASE_SCHEMA: `${prefix}_${service}` } : {});
    auth = startServiceProcess({ name: 'auth', port: authPort, cwd, env: { ...shared, ...database('auth') } });
    const registry = startServiceProcess({ name: 'registry', port: registryPort, cwd, env: { ...shared, ...database('registry') } });
    gateway = startServiceProcess({ name: 'gateway', port: gatewayPort, cwd, env: shared });
    processes.push(auth, registry, gateway);
    await Promise.all(processes.map((service) => waitUntilReady(service)));
  });

  afterAll(async () => {
    await Promise.all(processes.map((service) => service.stop()));
  });

  const call = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    fetch(`${gateway.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  it('is refused within a second of its revocation, as X-API-Key and as the token exchanged for it', async () => {
    const owner = (await (await call('/auth/v1/register', { method: 'POST', body: { email: 'ada@example.com', password: 'a long enough passphrase' } })).json()) as { accessToken: string };
    const asOwner = { authorization: `Bearer ${owner.accessToken}` };
    const key = (await (await call('/auth/v1/api-keys', { method: 'POST', headers: asOwner, body: { name: 'ci', permissions: ['registry:read'] } })).json()) as { id: string; key: string };
    const exchanged = (await (await call('/auth/v1/api-keys/exchange', { method: 'POST', body: { apiKey: key.key } })).json()) as { accessToken: string };
    expect((await call('/registry/v1/modules', { headers: { 'x-api-key': key.key } })).status).toBe(200);
    expect((await call('/registry/v1/modules', { headers: { authorization: `Bearer ${exchanged.accessToken}` } })).status).toBe(200);

    expect((await call(`/auth/v1/api-keys/${key.id}`, { method: 'DELETE', headers: asOwner })).status).toBe(204);
    const revokedAt = Date.now();
    await expect.poll(async () => (await call('/registry/v1/modules', { headers: { 'x-api-key': key.key } })).status, { timeout: 1_000, interval: 25 }).toBe(401);
    await expect.poll(async () => (await call('/registry/v1/modules', { headers: { authorization: `Bearer ${exchanged.accessToken}` } })).status, { timeout: 1_000, interval: 25 }).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it('does not cost a call to auth for every request with a made-up key', async () => {
    const exchanges = async () => {
      const metrics = await (await fetch(`${auth.url}/metrics`)).text();
      return metrics
        .split('\n')
        .filter((line) => line.startsWith('http_requests_total{') && line.includes('route="/v1/api-keys/exchange"'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    };
    const before = await exchanges();
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('/registry/v1/modules', { headers: { 'x-api-key': 'lift_sk_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm' } })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(401));
    for (let attempt = 0; attempt < 10; attempt += 1) await call('/registry/v1/modules', { headers: { 'x-api-key': 'lift_sk_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm' } });
    expect((await exchanges()) - before).toBe(1);
    // Strings that are not even shaped like a key never reach auth.
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await call('/registry/v1/modules', { headers: { 'x-api-key': `x${attempt}` } })).status).toBe(401);
    expect((await exchanges()) - before).toBe(1);
  });
});
