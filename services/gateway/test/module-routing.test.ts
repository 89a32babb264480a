import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { rawRequest } from '../../../tests/support/raw-request.js';
import { buildGateway, signedIn, startUpstream, testSecret } from './helper.js';

const bearer = (permissions: string[]) => signedIn(permissions);

interface Snapshot {
  revision: number;
  modules: { moduleId: string; baseUrl: string; apiPrefix: string; enabled: boolean; status: string; routes: { method: string; pathPrefix: string; permission: string }[] }[];
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/**
 * Stand-ins for auth's token endpoint and the registry's route table (a long poll the test
 * answers by publishing a new snapshot), so the gateway's module routing is tested on its own.
 */
async function startControlPlane(initial: Snapshot) {
  let current = initial;
  const waiting: { after: number; response: ServerResponse }[] = [];
  const seenAuthorization: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/v1/oauth/token') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ access_token: 'service-token-for-gateway', token_type: 'Bearer', expires_in: 300 }));
    }
    if (url.pathname === '/v1/route-table') {
      seenAuthorization.push(String(request.headers.authorization));
      const after = Number(url.searchParams.get('after'));
      if (current.revision > after || url.searchParams.get('waitMs') === '0') {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify(current));
      }
      waiting.push({ after, response });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seenAuthorization,
    publish(snapshot: Snapshot) {
      current = snapshot;
      for (const entry of waiting.splice(0)) {
        entry.response.writeHead(200, { 'content-type': 'application/json' });
        entry.response.end(JSON.stringify(current));
      }
    },
  };
}

function moduleEntry(baseUrl: string, overrides: Partial<Snapshot['modules'][number]> = {}): Snapshot['modules'][number] {
  return {
    moduleId: 'causal',
    baseUrl,
    apiPrefix: '/',
    enabled: true,
    status: 'healthy',
    routes: [
      { method: 'POST', pathPrefix: '/v1/runs', permission: 'causal:run' },
      { method: 'GET', pathPrefix: '/', permission: 'causal:read' },
      { method: '*', pathPrefix: '/', permission: 'causal:write' },
    ],
    ...overrides,
  };
}

async function gatewayFor(controlPlane: { url: string }, env: Record<string, string> = {}): Promise<ServiceApp> {
  const gateway = await buildGateway({
    JWT_ALGORITHM: 'HS256',
    JWT_SECRET: testSecret,
    AUTH_SERVICE_URL: controlPlane.url,
    REGISTRY_SERVICE_URL: controlPlane.url,
    SERVICE_CLIENT_SECRETS: 'gateway:gateway-secret-0123456789',
    ROUTE_TABLE_WAIT_MS: '20000',
    ...env,
  });
  // Module routing answers 503 until the first table arrives; wait for it.
  await expect.poll(async () => (await gateway.inject({ method: 'GET', url: '/modules/causal', headers: await bearer([]) })).json().code).not.toBe('GATEWAY_MODULE_ROUTING_UNAVAILABLE');
  return gateway;
}

describe('routing /modules/{id}/* from the registry\'s route table', () => {
  it('forwards to the module with the prefix stripped, the gateway\'s identity headers and the token', async () => {
    const module = await startUpstream((request, respond) => respond(200, JSON.stringify({ path: request.url })));
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`${module.url}/causal-api`)] });
    const gateway = await gatewayFor(controlPlane);
    const token = await bearer(['causal:read']);
    const headers = { ...token, 'x-lift-user': 'admin', 'x-lift-org': 'platform' };
    const response = await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs?limit=5', headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ path: '/causal-api/v1/graphs?limit=5' });
    const sent = module.received[0]?.headers ?? {};
    expect(sent).toMatchObject({ 'x-lift-user': 'user-7', 'x-lift-org': 'tenant-1', 'x-lift-roles': 'member', authorization: token.authorization });
    expect(controlPlane.seenAuthorization[0]).toBe('Bearer service-token-for-gateway');
  });

  it('enforces the manifest\'s permission for each method and path', async () => {
    const module = await startUpstream();
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(module.url)] });
    const gateway = await gatewayFor(controlPlane);
    const readOnly = await bearer(['causal:read']);
    expect((await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers: readOnly })).statusCode).toBe(200);
    const post = await gateway.inject({ method: 'POST', url: '/modules/causal/v1/graphs', headers: readOnly, payload: {} });
    expect(post.statusCode).toBe(403);
    expect(post.json()).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'causal:write', module: 'causal' });
    const run = await gateway.inject({ method: 'POST', url: '/modules/causal/v1/runs/42', headers: await bearer(['causal:write']), payload: {} });
    expect(run.json()).toMatchObject({ permission: 'causal:run' });
    expect((await gateway.inject({ method: 'POST', url: '/modules/causal/v1/runs', headers: await bearer(['causal:run']), payload: {} })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers: await bearer(['memory:read']) })).statusCode).toBe(403);
    expect(module.received).toHaveLength(2);
  });

  it('matches the manifest\'s permission rules on the normalised path, which is what the module receives', async () => {
    const module = await startUpstream((request, respond) => respond(200, JSON.stringify({ path: request.url })));
    const rules = [
      { method: '*', pathPrefix: '/admin', permission: 'causal:admin' },
      { method: 'GET', pathPrefix: '/v1', permission: 'causal:read' },
    ];
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(module.url, { routes: rules })] });
    const gateway = await gatewayFor(controlPlane);
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
    // Over a real socket: app.inject would resolve the dot segments before the gateway saw them.
    for (const path of ['/modules/causal/v1/%2e%2e/admin', '/modules/causal/v1/../%61dmin', '/modules/causal/v1//x/../../admin']) {
      const refused = await rawRequest(origin, { path, headers: await bearer(['causal:read']) });
      expect(refused.status, path).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'causal:admin', module: 'causal' });
    }
    expect(module.received).toHaveLength(0);
    const admitted = await rawRequest(origin, { path: '/modules/causal/v1/%2e%2e/admin?x=1', headers: await bearer(['causal:admin']) });
    expect(JSON.parse(admitted.body)).toEqual({ path: '/admin?x=1' });
  });

  it('needs a valid token', async () => {
    const module = await startUpstream();
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(module.url)] });
    const gateway = await gatewayFor(controlPlane);
    expect((await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs' })).statusCode).toBe(401);
    expect((await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers: { authorization: 'Bearer forged.token.here' } })).statusCode).toBe(401);
    expect(module.received).toHaveLength(0);
  });

  it('sends no traffic to a module that is unknown, disabled, unhealthy or not yet checked', async () => {
    const module = await startUpstream();
    const controlPlane = await startControlPlane({
      revision: 1,
      modules: [
        moduleEntry(module.url, { moduleId: 'off', enabled: false }),
        moduleEntry(module.url, { moduleId: 'down', status: 'unhealthy' }),
        moduleEntry(module.url, { moduleId: 'new', status: 'unknown' }),
      ],
    });
    const gateway = await gatewayFor(controlPlane);
    const headers = await bearer(['off:read', 'down:read', 'new:read']);
    for (const [id, why] of [['off', 'is disabled'], ['down', 'is unhealthy'], ['new', 'has not passed a health check yet']]) {
      const response = await gateway.inject({ method: 'GET', url: `/modules/${id}/x`, headers });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'GATEWAY_MODULE_UNAVAILABLE', module: id, detail: `The module "${id}" ${why}.` });
    }
    const unknown = await gateway.inject({ method: 'GET', url: '/modules/nope/x', headers });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('GATEWAY_MODULE_NOT_FOUND');
    expect(module.received).toHaveLength(0);
  });

  it('follows the registry\'s changes within moments, without a restart', async () => {
    const module = await startUpstream();
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(module.url)] });
    const gateway = await gatewayFor(controlPlane);
    const headers = await bearer(['causal:read']);
    expect((await gateway.inject({ method: 'GET', url: '/modules/causal/x', headers })).statusCode).toBe(200);
    controlPlane.publish({ revision: 2, modules: [moduleEntry(module.url, { status: 'unhealthy' })] });
    await expect.poll(async () => (await gateway.inject({ method: 'GET', url: '/modules/causal/x', headers })).statusCode, { timeout: 3_000 }).toBe(503);
    controlPlane.publish({ revision: 3, modules: [moduleEntry(module.url)] });
    await expect.poll(async () => (await gateway.inject({ method: 'GET', url: '/modules/causal/x', headers })).statusCode, { timeout: 3_000 }).toBe(200);
  });

  it('keeps module routes off, with a clear 503, when the gateway has no service credentials', async () => {
    const gateway = await buildGateway({ JWT_ALGORITHM: 'HS256', JWT_SECRET: testSecret });
    const response = await gateway.inject({ method: 'GET', url: '/modules/causal/x', headers: await bearer(['causal:read']) });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('GATEWAY_MODULE_ROUTING_UNAVAILABLE');
  });
});
