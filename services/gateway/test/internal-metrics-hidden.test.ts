import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn, startUpstream } from './helper.js';
import { gatewayFor, moduleEntry, startControlPlane } from './control-plane.js';

// Regression: any signed-in customer could read every core service's /metrics through the
// gateway (/auth/metrics: every route's request counts and error rates, process statistics).
describe('a service\'s or module\'s own metrics at the edge', () => {
  const spellings = (prefix: string) => [`${prefix}/metrics`, `${prefix}/metrics?name[]=up`, `${prefix}/metrics/`, `${prefix}//metrics`, `${prefix}/v1/../metrics`, `${prefix}/%6detrics`, `${prefix}/x/%2e%2e/metrics`];

  it('is no route, for a signed-in customer, however the path is written, and nothing reaches the service', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url });
    const headers = await signedIn(['memory:read', 'memory:write']);
    for (const url of spellings('/memory')) {
      for (const method of ['GET', 'HEAD'] as const) {
        const answer = await gateway.inject({ method, url, headers });
        expect(answer.statusCode, `${method} ${url}`).toBe(404);
        if (method === 'GET') expect(answer.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      }
    }
    expect(memory.received).toEqual([]);
    // The control: the same customer's ordinary request is forwarded.
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers })).statusCode).toBe(200);
    expect(memory.received.map((request) => request.url)).toEqual(['/v1/memories']);
  });

  it('is no route for a module either', async () => {
    const module = await startUpstream();
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(module.url)] });
    const gateway = await gatewayFor(controlPlane);
    const headers = await signedIn(['causal:read']);
    for (const url of spellings('/modules/causal')) expect((await gateway.inject({ method: 'GET', url, headers })).statusCode, url).toBe(404);
    expect(module.received).toEqual([]);
  });
});
