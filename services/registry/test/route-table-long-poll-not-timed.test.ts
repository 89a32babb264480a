import { describe, expect, it } from 'vitest';
import { buildRegistry, tokenWith } from './helper.js';

/**
 * Regression: the gateway's route-table long poll waits up to 30 s by design, and timed it put
 * every poll in the top bucket of http_request_duration_seconds, so LiftHighLatency fired for an
 * idle registry. The poll is counted, not timed.
 */
describe('the route-table long poll in /metrics', () => {
  it('is counted in http_requests_total and absent from http_request_duration_seconds', async () => {
    const { app } = await buildRegistry();
    const gateway = await tokenWith(['registry:routes'], 'svc:gateway');
    const start = (await app.inject({ method: 'GET', url: '/v1/route-table', headers: gateway })).json();
    await app.inject({ method: 'GET', url: `/v1/route-table?after=${start.revision}&waitMs=50`, headers: gateway });

    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/v1\/route-table",status="200"[^}]*\} 2/);
    expect(text).not.toMatch(/http_request_duration_seconds_\w+\{[^}]*route="\/v1\/route-table"/);
  });
});
