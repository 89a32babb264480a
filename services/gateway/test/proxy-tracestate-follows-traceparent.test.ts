import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn, startUpstream } from './helper.js';

const tracestate = 'vendor=opaque-value';

/** What the upstream receives for a client's traceparent and tracestate (tracing off: the kit's trace context). */
async function forwardedTraceHeaders(traceparent: string): Promise<Record<string, unknown>> {
  const memory = await startUpstream();
  const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url });
  const response = await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers: { ...(await signedIn()), traceparent, tracestate } });
  expect(response.statusCode).toBe(200);
  return memory.received[0]?.headers ?? {};
}

describe('the client\'s tracestate goes upstream only with the trace it belongs to (W3C)', () => {
  it('is passed on when the client\'s traceparent is valid and its trace continued', async () => {
    const headers = await forwardedTraceHeaders('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(headers.tracestate).toBe(tracestate);
  });

  it('is dropped when the traceparent was invalid and the gateway started a new trace', async () => {
    for (const invalid of ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'garbage', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01']) {
      const headers = await forwardedTraceHeaders(invalid);
      expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(headers.traceparent).not.toContain('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(headers.tracestate).toBeUndefined();
    }
  });
});
