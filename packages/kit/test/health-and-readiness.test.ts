import { describe, expect, it } from 'vitest';
import { buildTestService, manualClock } from './helper.js';

describe('/health and /ready', () => {
  it('reports liveness with version and uptime', async () => {
    const clock = manualClock();
    const app = await buildTestService({ clock });
    clock.advance(90_000);
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', service: 'test-service', version: '1.2.3', uptimeSeconds: 90 });
  });

  it('is ready when every dependency answers', async () => {
    const app = await buildTestService();
    app.readiness.add({ name: 'database', check: async () => undefined });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', service: 'test-service', checks: { database: 'ok' } });
  });

  it('answers 503 naming the dependency that fails', async () => {
    const app = await buildTestService();
    app.readiness.add({ name: 'database', check: async () => undefined });
    app.readiness.add({ name: 'redis', check: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390')) });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body).toMatchObject({ code: 'SERVICE_NOT_READY', checks: { database: 'ok', redis: 'failing' } });
    expect(body.detail).toBe('test-service is not ready: redis failing; the service\'s log says why.');
  });

  it('stops being ready as soon as shutdown begins, while staying alive', async () => {
    const app = await buildTestService();
    app.readiness.markShuttingDown();
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().code).toBe('SERVICE_SHUTTING_DOWN');
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
