import { describe, expect, it } from 'vitest';
import { buildTestService } from './helper.js';

/**
 * A long poll or an event stream holds its answer open on purpose: timing it would put a 30 s
 * wait in the top bucket of http_request_duration_seconds and read as a slow service (the
 * registry's route table, observability's log tail).
 */
describe('long-lived routes in /metrics', () => {
  it('count a route marked longLived in http_requests_total and leave its duration out of the histogram', async () => {
    const app = await buildTestService();
    app.get('/v1/wait', { config: { longLived: true } }, async () => ({ changed: false }));
    app.get('/v1/quick', async () => ({}));
    await app.inject({ method: 'GET', url: '/v1/wait' });
    await app.inject({ method: 'GET', url: '/v1/wait' });
    await app.inject({ method: 'GET', url: '/v1/quick' });

    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('http_requests_total{method="GET",route="/v1/wait",status="200",service="test-service"} 2');
    expect(text).not.toMatch(/http_request_duration_seconds_\w+\{[^}]*route="\/v1\/wait"/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/v1\/quick"[^}]*\} 1/);
  });

  it('treat any text/event-stream answer as long-lived (a stream a gateway forwards from its catch-all route)', async () => {
    const app = await buildTestService();
    app.get('/forwarded/*', async (_request, reply) => reply.type('text/event-stream; charset=utf-8').send(': connected\n\n'));
    await app.inject({ method: 'GET', url: '/forwarded/v1/logs/stream' });

    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('http_requests_total{method="GET",route="/forwarded/*",status="200",service="test-service"} 1');
    expect(text).not.toMatch(/http_request_duration_seconds_\w+\{[^}]*route="\/forwarded\/\*"/);
  });
});
