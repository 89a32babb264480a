import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestService } from './helper.js';

/** Sends raw bytes and reads until the server closes the connection. */
async function rawExchange(port: number, request: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(request);
  await ended;
  return Buffer.concat(chunks).toString('latin1');
}

function parseAnswer(raw: string): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as Record<string, unknown> };
}

// Issue #10 item 13: malformed URLs got Fastify's plain JSON instead of problem+json.
describe('refusals made before a route is found', () => {
  it('answer a path that is not valid percent-encoding with a problem naming the request', async () => {
    const app = await buildTestService();
    app.get('/items/:id', async (request) => request.params);
    for (const url of ['/%zz', '/health%', '/items/%zz', '/%E0%A4%A', '/v1/%ff%fe']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type'], url).toBe('application/problem+json; charset=utf-8');
      expect(response.json(), url).toMatchObject({ type: 'urn:lift:problem:request-bad-url', status: 400, code: 'REQUEST_BAD_URL', requestId: response.headers['x-request-id'] });
    }
  });

  it('answer an over-long path parameter with 414 as a problem', async () => {
    const app = await buildTestService();
    app.get('/items/:id', async (request) => request.params);
    const response = await app.inject({ method: 'GET', url: `/items/${'a'.repeat(200)}` });
    expect(response.statusCode).toBe(414);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ code: 'REQUEST_URI_TOO_LONG', status: 414 });
  });

  it('answer what Node\'s HTTP parser refuses (bad Content-Length, bad header, oversized headers) with a problem, then close', async () => {
    const app = await buildTestService();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const cases: [string, string, number, string][] = [
      ['invalid Content-Length', 'POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, 'REQUEST_MALFORMED'],
      ['Content-Length with chunked', 'POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'REQUEST_MALFORMED'],
      ['a header with a control character', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n', 400, 'REQUEST_MALFORMED'],
      ['headers over the limit', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'REQUEST_HEADERS_TOO_LARGE'],
    ];
    for (const [name, request, status, code] of cases) {
      const answer = parseAnswer(await rawExchange(port, request));
      expect(answer.status, name).toBe(status);
      expect(answer.headers['content-type'], name).toBe('application/problem+json; charset=utf-8');
      expect(answer.body, name).toMatchObject({ status, code, type: `urn:lift:problem:${code.toLowerCase().replace(/_/g, '-')}`, requestId: answer.headers['x-request-id'] });
    }
  });

  it('answer a request that arrives while the service closes with a problem', async () => {
    const app = await buildTestService();
    // Holds the close between "closing" and "stopped listening", where Fastify answered plain JSON.
    let finishClosing: () => void = () => undefined;
    app.addHook('preClose', (done) => void (finishClosing = done));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const closed = app.close();
    const answer = parseAnswer(await rawExchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
    finishClosing();
    await closed;
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toMatchObject({ code: 'SERVICE_SHUTTING_DOWN', detail: 'test-service is shutting down; send the request again.' });
  });
});
