import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn, startUpstream } from './helper.js';

describe('the gateway names the upstream when it fails', () => {
  it('answers 503 when the service cannot be reached', async () => {
    const registry = await startUpstream();
    await registry.close();
    const gateway = await buildGateway({ REGISTRY_SERVICE_URL: registry.url });
    const response = await gateway.inject({ headers: await signedIn(), method: 'GET', url: '/registry/v1/modules' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('1');
    const body = response.json();
    expect(body).toMatchObject({ code: 'GATEWAY_UPSTREAM_UNAVAILABLE', upstream: 'registry' });
    expect(body.detail).toContain('registry');
    expect(body.detail).not.toContain('127.0.0.1');
  });

  it('answers 504 when the service does not answer in time', async () => {
    const memory = await startUpstream(() => {
      // Never answers.
    });
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, UPSTREAM_TIMEOUT_MS: '150' });
    const response = await gateway.inject({ headers: await signedIn(), method: 'GET', url: '/memory/v1/search' });
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({ code: 'GATEWAY_UPSTREAM_TIMEOUT', upstream: 'memory' });
    expect(response.json().detail).toContain('150 ms');
  });
});
