import { describe, expect, it } from 'vitest';
import { buildTestService } from './helper.js';

describe('/metrics', () => {
  it('counts and times requests by service, method, route and status, plus process metrics', async () => {
    const app = await buildTestService();
    app.get('/v1/items/:id', async () => ({}));
    await app.inject({ method: 'GET', url: '/v1/items/1' });
    await app.inject({ method: 'GET', url: '/v1/items/2' });
    await app.inject({ method: 'GET', url: '/no/such/path' });

    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toContain('http_requests_total{method="GET",route="/v1/items/:id",status="200",service="test-service"} 2');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404",service="test-service"} 1');
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/v1\/items\/:id"[^}]*\} 2/);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('writes histograms as Prometheus expects: cumulative buckets up to +Inf, then sum and count', async () => {
    const app = await buildTestService();
    app.get('/slow', async () => ({ ok: true }));
    for (let index = 0; index < 3; index += 1) await app.inject({ method: 'GET', url: '/slow' });
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const series = text.split('\n').filter((line) => line.startsWith('http_request_duration_seconds') && line.includes('route="/slow"'));
    const buckets = series.filter((line) => line.includes('_bucket'));
    expect(buckets[0]).toMatch(/^http_request_duration_seconds_bucket\{method="GET",route="\/slow",status="200",le="0.005",service="test-service"\} \d$/);
    expect(buckets.at(-1)).toMatch(/le="\+Inf".* 3$/);
    const counts = buckets.map((line) => Number(line.split(' ').at(-1)));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(series.find((line) => line.includes('_count'))).toMatch(/ 3$/);
    expect(Number(series.find((line) => line.includes('_sum'))?.split(' ').at(-1))).toBeGreaterThan(0);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE http_requests_total counter');
  });

  it('keeps each app\'s metrics apart (no global registry)', async () => {
    const first = await buildTestService();
    const second = await buildTestService();
    await first.inject({ method: 'GET', url: '/health' });
    const text = (await second.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toContain('route="/health"');
  });
});
