import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteTable } from '@lift/sdk';
import { freePort } from '../support/free-port.js';
import { rawRequest } from '../support/raw-request.js';
import { routeTableEntry } from '../support/route-table-entry.js';
import { sendJson, startStandIn } from '../support/stand-in-server.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { bearerFor } from '../support/test-token.js';

const secret = 'the edge-paths suite signs its own HS256 tokens here';

/**
 * A stand-in core service that records what the gateway forwards, serves an OpenAPI document
 * declaring `publicOperations` public (`security: []`), and answers `extra` paths itself (the
 * control plane a gateway needs for module routing).
 */
async function standIn(publicOperations: string[], extra: Record<string, (url: URL) => unknown> = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of publicOperations) {
    const [method = '', path = ''] = operation.split(' ');
    paths[path] = { ...paths[path], [method.toLowerCase()]: { security: [], responses: { 200: { description: 'ok' } } } };
  }
  const document = { openapi: '3.1.0', info: { title: 'stand-in', version: '1' }, paths };
  const answerFor = (url: URL) => (url.pathname === '/openapi.json' ? document : extra[url.pathname]?.(url));
  // Started in beforeAll: closed after the file's last test (tests/support/close-when-done.ts).
  const standIn = await startStandIn((request, response) => sendJson(response, 200, answerFor(new URL(request.url, 'http://stand-in')) ?? { ok: true }));
  return {
    url: standIn.url,
    // What the gateway forwarded, not what it asked of the stand-in for itself.
    get seen() {
      return standIn.received.filter((request) => answerFor(new URL(request.url, 'http://stand-in')) === undefined);
    },
  };
}

describe('the gateway process decides on the normalised path, and forwards it', () => {
  let gateway: ServiceProcess;
  let auth: Awaited<ReturnType<typeof standIn>>;
  let billing: Awaited<ReturnType<typeof standIn>>;
  let memory: Awaited<ReturnType<typeof standIn>>;
  let module: Awaited<ReturnType<typeof standIn>>;

  beforeAll(async () => {
    module = await standIn([]);
    const routeTable: RouteTable = {
      revision: 1,
      modules: [
        routeTableEntry({
          moduleId: 'causal',
          baseUrl: module.url,
          routes: [
            { method: '*', pathPrefix: '/admin', permission: 'causal:admin' },
            { method: 'GET', pathPrefix: '/', permission: 'causal:read' },
          ],
        }),
      ],
    };
    auth = await standIn(['POST /v1/login', 'POST /v1/token/refresh'], {
      '/v1/oauth/token': () => ({ access_token: 'service-token-for-gateway', token_type: 'Bearer', expires_in: 300 }),
      '/v1/route-table': () => routeTable,
    });
    billing = await standIn(['POST /v1/webhooks/stripe']);
    memory = await standIn([]);
    gateway = startServiceProcess({
      name: 'gateway',
      port: await freePort(),
      env: {
        JWT_ALGORITHM: 'HS256',
        JWT_SECRET: secret,
        AUTH_SERVICE_URL: auth.url,
        REGISTRY_SERVICE_URL: auth.url,
        BILLING_SERVICE_URL: billing.url,
        MEMORY_SERVICE_URL: memory.url,
        OBSERVABILITY_SERVICE_URL: 'http://127.0.0.1:9',
        SERVICE_CLIENT_SECRETS: 'gateway:gateway-secret-0123456789',
        USAGE_METERING: 'false',
        RATE_LIMIT_CREDENTIALS_PER_IP: '3',
        // The stand-in module listens on loopback, which modules may use only when allowed.
        MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8',
      },
    });
    await waitUntilReady(gateway);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const token = (permissions: string[] = []) => bearerFor({ secret, organisation: 'tenant-paths', permissions, subject: 'user-paths', roles: ['member'], atMs: Date.now() });
  const send = (method: string, path: string, headers: Record<string, string> = {}) =>
    rawRequest(gateway.url, { method, path, headers: method === 'POST' ? { 'content-type': 'application/json', ...headers } : headers, ...(method === 'POST' ? { body: '{}' } : {}) });

  it('counts /auth/v1/%6cogin and /auth//v1/./login against the sign-in limit, like /auth/v1/login', async () => {
    const statuses = [];
    for (const path of ['/auth/v1/login', '/auth/v1/%6cogin', '/auth//v1/./login', '/auth/v1/%6Cogin']) statuses.push((await send('POST', path)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(auth.seen.filter((request) => request.method === 'POST').map((request) => request.url)).toEqual(['/v1/login', '/v1/login', '/v1/login']);
  });

  it('does not make /billing/docs/../v1/plans public, and forwards it with a token as /v1/plans', async () => {
    const refused = await send('GET', '/billing/docs/../v1/plans');
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'AUTH_TOKEN_MISSING' });
    expect(billing.seen).toHaveLength(0);
    expect((await send('GET', '/billing/docs/%2e%2e/v1/plans', await token())).status).toBe(200);
    expect(billing.seen.map((request) => request.url)).toEqual(['/v1/plans']);
  });

  it('lets the webhook billing declares public through without a token', async () => {
    expect((await send('POST', '/billing/v1/webhooks/stripe', { 'stripe-signature': 't=1,v1=x' })).status).toBe(200);
    expect(billing.seen.at(-1)).toMatchObject({ method: 'POST', url: '/v1/webhooks/stripe' });
  });

  it('forwards the normalised path and the query as the client sent it', async () => {
    const headers = await token();
    for (const path of ['/memory/v1/%6demories?q=a%2Fb', '//memory/v1/x/../memories?q=a%2Fb', '/auth/../memory/./v1/memories?q=a%2Fb']) {
      expect((await send('GET', path, headers)).status, path).toBe(200);
    }
    expect(memory.seen.map((request) => request.url)).toEqual(['/v1/memories?q=a%2Fb', '/v1/memories?q=a%2Fb', '/v1/memories?q=a%2Fb']);
  });

  it.each([
    ['/memory/v1/a%2Fb', 'encoded-slash'],
    ['/memory/v1/a%5cb', 'backslash'],
    ['/memory/v1/a\\b', 'backslash'],
    ['/memory/v1/a%00b', 'control-character'],
    ['/memory/v1/memories;x=1', 'path-parameter'],
    ['/auth/v1/login#x', 'fragment'],
    ['/memory/../../v1/memories', 'above-root'],
  ])('refuses %s with 400 problem+json naming %s', async (path, reason) => {
    const before = memory.seen.length + auth.seen.length;
    const answer = await send('GET', path, await token());
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'GATEWAY_AMBIGUOUS_PATH', reason });
    expect(memory.seen.length + auth.seen.length).toBe(before);
  });

  it('applies the module permission the normalised path needs: /modules/causal/v1/%2e%2e/admin is /admin', async () => {
    // Module routing starts once the route table has arrived.
    await expect.poll(async () => (await send('GET', '/modules/causal/v1/x', await token(['causal:read']))).status, { timeout: 5_000 }).toBe(200);
    const refused = await send('GET', '/modules/causal/v1/%2e%2e/admin', await token(['causal:read']));
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'causal:admin' });
    expect((await send('GET', '/modules/causal/v1/%2e%2e/admin', await token(['causal:admin']))).status).toBe(200);
    expect(module.seen.map((request) => request.url)).toEqual(['/v1/x', '/admin']);
  });

  it('keeps a forged x-lift-* header it does not set itself from the service, on a protected and on a public route', async () => {
    const forged = { 'x-lift-permissions': 'platform:admin', x_lift_org: 'platform', 'X-Lift-User': 'admin' };
    expect((await send('GET', '/memory/v1/items', { ...(await token()), ...forged })).status).toBe(200);
    expect((await send('POST', '/auth/v1/token/refresh', forged)).status).toBe(200);
    for (const received of [memory.seen.at(-1), auth.seen.at(-1)]) {
      expect(received?.headers['x-lift-permissions']).toBeUndefined();
      expect(received?.headers.x_lift_org).toBeUndefined();
      expect(received?.headers['x-lift-user']).not.toBe('admin');
    }
    expect(memory.seen.at(-1)?.headers).toMatchObject({ 'x-lift-user': 'user-paths', 'x-lift-org': 'tenant-paths' });
  });
});
