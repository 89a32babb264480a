import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn, startUpstream } from './helper.js';

// Regression: an upstream that refused an oversize body mid-upload closed the connection, and
// the gateway answered 502 instead of 413.
describe('the gateway refuses oversize bodies itself', () => {
  it('answers 413 for a declared Content-Length over the limit without calling the upstream', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, BODY_LIMIT_BYTES: '1000' });
    const response = await gateway.inject({ method: 'POST', url: '/memory/v1/memories', headers: { ...(await signedIn()),  'content-type': 'application/json' }, payload: JSON.stringify({ text: 'x'.repeat(2000) }) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'REQUEST_BODY_TOO_LARGE', detail: expect.stringContaining('1000 bytes') });
    expect(memory.received).toHaveLength(0);
  });

  it('answers 413 for a chunked body that grows past the limit', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, BODY_LIMIT_BYTES: '1000' });
    const response = await gateway.inject({
      method: 'POST',
      url: '/memory/v1/memories',
      headers: { ...(await signedIn()),  'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      payload: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]),
    });
    expect(response.statusCode).toBe(413);
  });

  it('forwards a chunked body under the limit', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, BODY_LIMIT_BYTES: '1000' });
    const response = await gateway.inject({
      method: 'POST',
      url: '/memory/v1/memories',
      headers: { ...(await signedIn()),  'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      payload: Readable.from([Buffer.from('hello '), Buffer.from('world')]),
    });
    expect(response.statusCode).toBe(200);
    expect(memory.received[0]?.body).toBe('hello world');
  });
});
