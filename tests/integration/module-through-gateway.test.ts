import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { repositoryRoot, startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { testSchemaName } from '../support/test-schema.js';
import { skipUnless } from '../support/skip-rule.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const onPostgres = !skipUnless(databaseUrl !== undefined, 'the module suite on PostgreSQL', 'TEST_DATABASE_URL');
const backends = [{ name: 'SQLite', postgres: false }, ...(onPostgres ? [{ name: 'PostgreSQL', postgres: true }] : [])];

const admin = { email: 'admin@lift.test', password: 'platform admin passphrase' };

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe.each(backends)('a module joining the platform ($name)', ({ postgres }) => {
  const processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let templatePort: number;
  let moduleKey: string;
  let cwd: string;
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const get = (path: string, token: string) => fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  const startTemplate = () => {
    const template = startServiceProcess({
      name: 'template',
      script: join(repositoryRoot, 'modules/_template/src/main.ts'),
      port: templatePort,
      cwd,
      env: { LIFT_GATEWAY_URL: gateway.url, LIFT_API_KEY: moduleKey, LOG_LEVEL: 'info' },
    });
    processes.push(template);
    return template;
  };

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'lift-modules-'));
    const [authPort, registryPort, memoryPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    templatePort = await freePort();
    const urls = {
      AUTH_SERVICE_URL: `http://127.0.0.1:${authPort}`,
      REGISTRY_SERVICE_URL: `http://127.0.0.1:${registryPort}`,
      MEMORY_SERVICE_URL: `http://127.0.0.1:${memoryPort}`,
      GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
    };
    const database = (service: string): Record<string, string> => (postgres ? { DATABASE_URL: databaseUrl as string, DATABASE_SCHEMA: testSchemaName(service) } : {});
    const common = { ...urls, SERVICE_CLIENT_SECRETS: 'gateway:gateway-secret-for-the-module-suite,auth:auth-secret-for-the-module-suite,memory:memory-secret-for-the-module-suite' };
    const auth = startServiceProcess({ name: 'auth', port: authPort, cwd, env: { ...common, ...database('auth'), LIFT_ADMIN_EMAIL: admin.email, LIFT_ADMIN_PASSWORD: admin.password, MODULE_GRANTS_REFRESH_MS: '100' } });
    const registry = startServiceProcess({
      name: 'registry',
      port: registryPort,
      cwd,
      env: { ...common, ...database('registry'), MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8', HEALTH_CHECK_INTERVAL_MS: '200', HEALTH_UNHEALTHY_THRESHOLD: '1', HEALTH_HEALTHY_THRESHOLD: '1' },
    });
    // The template keeps its notes in memory; no billing here, so no plan limit either.
    const memory = startServiceProcess({ name: 'memory', port: memoryPort, cwd, env: { ...common, ...database('memory'), MEMORY_LIMITS: 'false' } });
    gateway = startServiceProcess({ name: 'gateway', port: gatewayPort, cwd, env: { ...common, MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8', ROUTE_TABLE_WAIT_MS: '20000' } });
    processes.push(auth, registry, memory, gateway);
    await Promise.all([auth, registry, memory, gateway].map((service) => waitUntilReady(service)));

    const adminSession = await json<{ accessToken: string }>(await post('/auth/v1/login', admin));
    const key = await json<{ key: string }>(await post('/auth/v1/api-keys', { name: 'template module', permissions: ['registry:admin', 'registry:read', 'registry:heartbeat'] }, adminSession.accessToken));
    moduleKey = key.key;
  });

  afterAll(async () => {
    await Promise.all(processes.map((service) => service.stop()));
  });

  it('registers itself, is routed with its permissions enforced, goes down and comes back — without a gateway restart', async () => {
    const adminToken = (await json<{ accessToken: string }>(await post('/auth/v1/login', admin))).accessToken;
    let template = startTemplate();
    await expect.poll(async () => (await json(await get('/registry/v1/modules/template', adminToken))).status, { timeout: 20_000 }).toBe('healthy');

    // A tenant's member role gets the module's permissions from its manifest.
    const tenant = await json<{ accessToken: string }>(await post('/auth/v1/register', { email: 'ada@example.com', password: 'a long enough passphrase' }));
    expect(decodeJwt(tenant.accessToken).perms).toEqual(expect.arrayContaining(['template:read', 'template:write']));
    await expect.poll(async () => (await get('/modules/template/v1/notes', tenant.accessToken)).status, { timeout: 10_000 }).toBe(200);
    const created = await post('/modules/template/v1/notes', { text: 'through the gateway' }, tenant.accessToken);
    expect(created.status).toBe(201);
    expect((await json<{ items: { text: string }[] }>(await get('/modules/template/v1/notes', tenant.accessToken))).items.map((note) => note.text)).toEqual(['through the gateway']);
    // The note is a memory of the tenant's organisation, stored by the module for its caller
    // (issue #14): found by the module's search, and by the tenant in memory itself.
    await post('/modules/template/v1/notes', { text: 'an unrelated thought about lunch' }, tenant.accessToken);
    const found = await json<{ items: { text: string }[] }>(await get('/modules/template/v1/notes?q=gateway', tenant.accessToken));
    expect(found.items[0]?.text).toBe('through the gateway');
    const asMemories = await json<{ items: { content: string; type: string; source: string }[] }>(await get('/memory/v1/memories?type=note', tenant.accessToken));
    expect(asMemories.items.map((memory) => [memory.content, memory.source])).toEqual([
      ['an unrelated thought about lunch', 'module:template'],
      ['through the gateway', 'module:template'],
    ]);

    // The module was given a token of its own audience: the tenant's platform token, replayed at the module, is refused there.
    expect((await fetch(`http://127.0.0.1:${templatePort}/v1/notes`, { headers: { authorization: `Bearer ${tenant.accessToken}` } })).status).toBe(401);
    // It acts on the platform for its caller with a delegated token from auth (token exchange), limited to its manifest.
    const whoami = await get('/modules/template/v1/whoami', tenant.accessToken);
    expect(whoami.status).toBe(200);
    const identity = await json<{ email: string; platformPermissions: string[] }>(whoami);
    expect(identity.email).toBe('ada@example.com');
    expect(identity.platformPermissions.sort()).toEqual(['memory:read', 'memory:write']);

    // An API key without template:read is refused at the gateway.
    const narrowKey = await json<{ key: string }>(await post('/auth/v1/api-keys', { name: 'memory only', permissions: ['memory:read'] }, tenant.accessToken));
    const narrow = await json<{ accessToken: string }>(await post('/auth/v1/api-keys/exchange', { apiKey: narrowKey.key }));
    const refused = await get('/modules/template/v1/notes', narrow.accessToken);
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'template:read' });

    // Prometheus discovers it.
    const targets = await json<{ targets: string[]; labels: Record<string, string> }[]>(await get('/registry/v1/prometheus/targets', adminToken));
    expect(targets).toEqual([expect.objectContaining({ targets: [`127.0.0.1:${templatePort}`], labels: expect.objectContaining({ module: 'template', __metrics_path__: '/metrics' }) })]);

    // Stopped: at once the gateway's connection is refused (503 naming the module as upstream);
    // as soon as the registry's check sees it, the module is taken out of routing (503, unavailable).
    await template.stop();
    const down = await get('/modules/template/v1/notes', tenant.accessToken);
    expect(down.status).toBe(503);
    await expect
      .poll(async () => (await json(await get('/modules/template/v1/notes', tenant.accessToken))).code, { timeout: 10_000 })
      .toBe('GATEWAY_MODULE_UNAVAILABLE');
    expect(await json(await get('/modules/template/v1/notes', tenant.accessToken))).toMatchObject({ module: 'template', detail: 'The module "template" is unhealthy.' });

    // Restarted: healthy again and routed again, the gateway untouched.
    template = startTemplate();
    await expect.poll(async () => (await get('/modules/template/v1/notes', tenant.accessToken)).status, { timeout: 20_000 }).toBe(200);
    expect(gateway.child.exitCode).toBeNull();
  });
});
