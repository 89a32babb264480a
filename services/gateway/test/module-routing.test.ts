import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testEpoch } from '../../../tests/support/manual-clock.js';
import { bearerFor } from '../../../tests/support/test-token.js';
import { rawRequest } from '../../../tests/support/raw-request.js';
import { buildGateway, longLivedSeconds, signedIn, startUpstream, testSecret } from './helper.js';
import { gatewayFor, moduleEntry, startControlPlane } from './control-plane.js';

const bearer = (permissions: string[]) => signedIn(permissions);

describe('routing /modules/{id}/* from the registry\'s route table', () => {
  it('forwards to the module with the prefix stripped, the gateway\'s identity headers and a token of the module\'s own audience', async () => {
    const module = await startUpstream((request, respond) => respond(200, JSON.stringify({ path: request.url })));
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`${module.url}/causal-api`)] });
    const gateway = await gatewayFor(controlPlane);
    const token = await bearer(['causal:read']);
    const headers = { ...token, 'x-lift-user': 'admin', 'x-lift-org': 'platform' };
    const response = await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs?limit=5', headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ path: '/causal-api/v1/graphs?limit=5' });
    const sent = module.received[0]?.headers ?? {};
    // Never the caller's platform token, which the module could replay against the core services.
    expect(sent).toMatchObject({ 'x-lift-user': 'user-7', 'x-lift-org': 'tenant-1', 'x-lift-roles': 'member', authorization: 'Bearer token-for-module:causal' });
    expect(controlPlane.seenAuthorization[0]).toBe('Bearer service-token-for-gateway');
    const [exchange] = controlPlane.exchanges;
    expect(exchange?.authorization).toBe(`Basic ${Buffer.from('gateway:gateway-secret-0123456789').toString('base64')}`);
    expect(Object.fromEntries(exchange?.form ?? [])).toMatchObject({ subject_token: token.authorization.slice('Bearer '.length), subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', audience: 'module:causal' });
    // The exchanged token is reused for the same caller and module: one exchange, not one per request.
    await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers: token });
    expect(controlPlane.exchanges).toHaveLength(1);
  });

  // Regression (review of #20): a module, served from the console's origin, received the console's
  // session cookies with every request and could plant its own lift_refresh (cookie tossing).
  it('neither shows a module the platform\'s cookies nor lets it set them; the module\'s own cookies pass both ways', async () => {
    const module = await startUpstream((_request, respond) =>
      respond(200, '{"ok":true}', { 'set-cookie': ['lift_refresh=planted; Path=/auth/v1/token; HttpOnly', 'LIFT_CSRF=planted; Path=/', 'causal_view=graph; Path=/modules/causal'] }),
    );
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(module.url)] });
    const gateway = await gatewayFor(controlPlane);
    const token = await bearer(['causal:read']);
    const answer = await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers: { ...token, cookie: 'lift_refresh=lift_rt_secret; causal_view=table;lift_csrf=abc' } });
    expect(answer.statusCode).toBe(200);
    expect(module.received[0]?.headers.cookie).toBe('causal_view=table');
    expect(answer.headers['set-cookie']).toEqual(['causal_view=graph; Path=/modules/causal']);
    await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers: { ...token, cookie: 'lift_refresh=lift_rt_secret; lift_csrf=abc' } });
    expect(module.received[1]?.headers).not.toHaveProperty('cookie');
  });

  it('answers 403 naming the module when auth will not issue the module a token for this caller', async () => {
    const module = await startUpstream();
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(module.url)] });
    const gateway = await gatewayFor(controlPlane);
    const delegated = await bearerFor({ secret: testSecret, organisation: 'tenant-1', permissions: ['causal:read'], subject: 'delegated-user', atMs: testEpoch, lifetimeSeconds: longLivedSeconds });
    const refused = await gateway.inject({ method: 'GET', url: '/modules/causal/x', headers: delegated });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'GATEWAY_MODULE_TOKEN_REFUSED', module: 'causal' });
    expect(refused.json().detail).toMatch(/delegated token/);
    expect(module.received).toHaveLength(0);
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

  it('applies a GET rule to HEAD, which modules answer with their GET handler', async () => {
    const module = await startUpstream();
    const rules = [
      { method: 'GET', pathPrefix: '/v1/secret', permission: 'causal:admin' },
      { method: 'GET', pathPrefix: '/', permission: 'causal:read' },
    ];
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(module.url, { routes: rules })] });
    const gateway = await gatewayFor(controlPlane);
    const reader = await bearer(['causal:read']);
    const head = await gateway.inject({ method: 'HEAD', url: '/modules/causal/v1/secret', headers: reader });
    expect(head.statusCode).toBe(403);
    expect((await gateway.inject({ method: 'HEAD', url: '/modules/causal/v1/open', headers: reader })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'HEAD', url: '/modules/causal/v1/secret', headers: await bearer(['causal:admin']) })).statusCode).toBe(200);
    expect(module.received.map((request) => `${request.method} ${request.url}`)).toEqual(['HEAD /v1/open', 'HEAD /v1/secret']);
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
