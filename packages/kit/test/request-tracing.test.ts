import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../src/index.js';
import { buildTestService, closeWhenDone, startRecordingServer } from './helper.js';

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('request id and W3C trace context', () => {
  it('keeps a caller\'s request id and echoes it', async () => {
    const app = await buildTestService();
    const response = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'caller-42' } });
    expect(response.headers['x-request-id']).toBe('caller-42');
  });

  it('makes a request id when there is none, or when the given one could forge log lines', async () => {
    const app = await buildTestService();
    const none = await app.inject({ method: 'GET', url: '/health' });
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const forged = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'a\n{"level":"fatal"}' } });
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the caller\'s trace and passes it, with the request id, on outgoing calls', async () => {
    const upstream = await startRecordingServer();
    const http = createHttpClient({ service: 'test-service', version: '1.2.3' });
    closeWhenDone(() => http.close());
    const app = await buildTestService();
    app.get('/v1/relay', async (request) => {
      const answer = await http.call(`${upstream.url}/downstream`, { context: { trace: request.trace, requestId: request.id } });
      return { status: answer.status };
    });
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await app.inject({ method: 'GET', url: '/v1/relay', headers: { traceparent: incoming, 'x-request-id': 'req-7' } });

    expect(response.json()).toEqual({ status: 200 });
    const sent = upstream.received[0];
    const match = traceparentPattern.exec(String(sent?.headers.traceparent));
    expect(match?.[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(match?.[2]).not.toBe('00f067aa0ba902b7');
    expect(sent?.headers['x-request-id']).toBe('req-7');
    expect(sent?.headers['user-agent']).toBe('lift-test-service/1.2.3');
  });

  it('starts a new trace when the incoming traceparent is malformed', async () => {
    const app = await buildTestService();
    let traceId = '';
    app.get('/v1/trace', async (request) => {
      traceId = request.trace.traceId;
      return {};
    });
    await app.inject({ method: 'GET', url: '/v1/trace', headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } });
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
  });
});
