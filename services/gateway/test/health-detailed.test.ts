import { describe, expect, it } from 'vitest';
import { createHttpClient, createLogger, createService } from '@lift/kit';
import { healthDetailedRoute, type ModuleListing, type ProbedService } from '../src/health-detailed.js';
import type { ModuleRoute } from '../src/module-table.js';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { buildGateway, manualClock, startUpstream, type UpstreamHandler } from './helper.js';

const ready: UpstreamHandler = (_request, respond) => respond(200, JSON.stringify({ status: 'ready', service: 'x', checks: { database: 'ok' } }));
const databaseDown: UpstreamHandler = (_request, respond) =>
  respond(503, JSON.stringify({ status: 503, code: 'NOT_READY', detail: 'not ready: database (connect ECONNREFUSED 10.9.8.7:5432)', checks: { database: 'connect ECONNREFUSED 10.9.8.7:5432', redis: 'ok' } }), { 'content-type': 'application/problem+json' });

function table(modules: Pick<ModuleRoute, 'moduleId' | 'enabled' | 'status'>[], loaded = true): ModuleListing {
  return { loaded, list: () => modules };
}

/** A bare kit service carrying only the route under test, on a clock the test moves. */
async function appWith(services: ProbedService[], modules: ModuleListing, options: { probeTimeoutMs?: number } = {}) {
  const clock = manualClock(Date.parse('2026-11-28T12:00:00Z'));
  const http = createHttpClient({ service: 'gateway', version: 'test' });
  const app = await createService({
    identity: { name: 'gateway', version: 'test', description: 'test' },
    config: { BODY_LIMIT_BYTES: 1_024, CORS_ORIGINS: '*' },
    log: createLogger({ service: 'gateway', version: 'test', level: 'silent' }),
    clock,
  });
  await healthDetailedRoute(app, { services, modules, http, clock, ...options });
  closeWhenDone(async () => {
    await app.close();
    await http.close();
  });
  return { app, advance: clock.advance };
}

describe('GET /health/detailed', () => {
  it('answers 200 ok when every core service is ready and every enabled module is routed', async () => {
    const auth = await startUpstream(ready);
    const billing = await startUpstream(ready);
    const { app } = await appWith(
      [
        { name: 'auth', origin: auth.url },
        { name: 'billing', origin: billing.url },
      ],
      table([
        { moduleId: 'causal', enabled: true, status: 'healthy' },
        { moduleId: 'retired', enabled: false, status: 'unhealthy' },
      ]),
    );
    const response = await app.inject({ method: 'GET', url: '/health/detailed' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      status: 'ok',
      checkedAt: '2026-11-28T12:00:00.000Z',
      services: {
        auth: { status: 'ready', latencyMs: expect.any(Number), checks: { database: 'ok' } },
        billing: { status: 'ready', latencyMs: expect.any(Number), checks: { database: 'ok' } },
      },
      moduleTable: 'loaded',
      modules: [
        { name: 'causal', status: 'healthy', routed: true },
        { name: 'retired', status: 'disabled', routed: false },
      ],
    });
    expect(auth.received.map((request) => request.url)).toEqual(['/ready']);
  });

  it('answers 503 degraded naming the unready and unreachable services, without their addresses or error messages', async () => {
    const auth = await startUpstream(ready);
    const memory = await startUpstream(databaseDown);
    const registry = await startUpstream();
    await registry.close();
    const { app } = await appWith(
      [
        { name: 'auth', origin: auth.url },
        { name: 'memory', origin: memory.url },
        { name: 'registry', origin: registry.url },
      ],
      table([]),
    );
    const response = await app.inject({ method: 'GET', url: '/health/detailed' });
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body.status).toBe('degraded');
    expect(body.services.auth.status).toBe('ready');
    expect(body.services.memory).toEqual({ status: 'unready', latencyMs: expect.any(Number), checks: { database: 'failing', redis: 'ok' } });
    expect(body.services.registry).toEqual({ status: 'unreachable', latencyMs: expect.any(Number) });
    expect(response.body).not.toContain('127.0.0.1');
    expect(response.body).not.toContain('10.9.8.7');
    expect(response.body).not.toContain('ECONNREFUSED');
  });

  it('gives up on a service that does not answer within the probe timeout', async () => {
    const hanging = await startUpstream(() => {
      // Never answers.
    });
    const { app } = await appWith([{ name: 'observability', origin: hanging.url }], table([]), { probeTimeoutMs: 200 });
    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/health/detailed' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.statusCode).toBe(503);
    expect(response.json().services.observability.status).toBe('unreachable');
  });

  it('stays 200 but degraded while a module is unhealthy, not yet checked, or the route table has not arrived', async () => {
    const auth = await startUpstream(ready);
    const services = [{ name: 'auth', origin: auth.url }];
    const { app } = await appWith(
      services,
      table([
        { moduleId: 'causal', enabled: true, status: 'unhealthy' },
        { moduleId: 'fresh', enabled: true, status: 'unknown' },
      ]),
    );
    const response = await app.inject({ method: 'GET', url: '/health/detailed' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'degraded',
      modules: [
        { name: 'causal', status: 'unhealthy', routed: false },
        { name: 'fresh', status: 'unknown', routed: false },
      ],
    });

    const waiting = await appWith(services, table([], false));
    const early = await waiting.app.inject({ method: 'GET', url: '/health/detailed' });
    expect(early.statusCode).toBe(200);
    expect(early.json()).toMatchObject({ status: 'degraded', moduleTable: 'not loaded', modules: [] });
  });

  it('probes each service once per second however many callers ask, in parallel or one after another', async () => {
    const auth = await startUpstream(ready);
    const { app, advance } = await appWith([{ name: 'auth', origin: auth.url }], table([]));
    const burst = await Promise.all(Array.from({ length: 20 }, () => app.inject({ method: 'GET', url: '/health/detailed' })));
    expect(burst.every((response) => response.statusCode === 200)).toBe(true);
    advance(999);
    await app.inject({ method: 'GET', url: '/health/detailed' });
    expect(auth.received).toHaveLength(1);
    advance(1);
    await app.inject({ method: 'GET', url: '/health/detailed' });
    expect(auth.received).toHaveLength(2);
  });

  // Issue #19: a service of several instances was reported by the one instance chosen for the probe.
  it('counts the instances of a service that runs several as the balancing sees them, probing one: degraded unless all are available, no addresses', async () => {
    const [first, second] = [await startUpstream(ready), await startUpstream(databaseDown)];
    const several = (origin: string, ...available: boolean[]): ProbedService => ({ name: 'auth', origin, instances: { balanced: true, instances: available.map((flag) => ({ available: flag })) } });
    const oneDown = await appWith([several(first.url, true, false, true)], table([]));
    const degraded = await oneDown.app.inject({ method: 'GET', url: '/health/detailed' });
    expect(degraded.statusCode).toBe(200);
    expect(degraded.json()).toMatchObject({ status: 'degraded', services: { auth: { status: 'ready', checks: { database: 'ok' }, instances: { total: 3, ready: 2 } } } });
    expect(degraded.body).not.toContain('127.0.0.1');
    // One probe a round whatever the number of instances: the route is public.
    expect(first.received).toHaveLength(1);

    const noneReady = await appWith([several(second.url, false, false)], table([]));
    const down = await noneReady.app.inject({ method: 'GET', url: '/health/detailed' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'degraded', services: { auth: { status: 'unready', instances: { total: 2, ready: 0 } } } });

    const allReady = await appWith([several(first.url, true, true)], table([]));
    expect((await allReady.app.inject({ method: 'GET', url: '/health/detailed' })).json()).toMatchObject({ status: 'ok', services: { auth: { status: 'ready', instances: { total: 2, ready: 2 } } } });
  });

  it('counts the instances of every *_SERVICE_URL list through the gateway itself', async () => {
    const [first, second] = [await startUpstream(ready), await startUpstream(ready)];
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${first.url},${second.url}` });
    const response = await gateway.inject({ method: 'GET', url: '/health/detailed' });
    expect(response.json()).toMatchObject({ services: { memory: { status: 'ready', instances: { total: 2, ready: 2 } } } });
    expect((response.json() as { services: { auth: object } }).services.auth).not.toHaveProperty('instances');
  });
});
