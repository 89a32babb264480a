// Review of issue #19: the gateway's hardening hook reads (and caches) the matched route at onRequest; a
// handler that re-routes with Fastify's own reply.callNotFound() (here @fastify/static behind
// Swagger UI's /docs/static/*, for a file that does not exist) leaves that cache stale, so the
// 404 is counted and logged as an answer of the route it was moved away from.
import { describe, expect, it } from 'vitest';
import { buildGateway } from './helper.js';

describe('the matched route after a plugin re-routes to the 404 handler ', () => {
  it('counts a missing /docs/static file as unmatched, as before the cache', async () => {
    const gateway = await buildGateway({});
    const missing = await gateway.inject({ method: 'GET', url: '/docs/static/no-such-file.js' });
    expect(missing.statusCode).toBe(404);
    const scraped = await gateway.inject({ method: 'GET', url: '/metrics' });
    const lines = scraped.body.split('\n').filter((line) => line.startsWith('http_requests_total{') && line.includes('status="404"'));
    expect(lines.filter((line) => line.includes('route="/docs/static/*"'))).toEqual([]);
    expect(lines.find((line) => line.includes('route="unmatched"'))).toBeDefined();
  });
});
