import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { backends, buildObservability, platformViewer, serviceToken } from './helper.js';
import { ndjson, postNdjson } from './logs-fixture.js';

const time = '2026-11-28T08:30:00.000Z';
const batches = 20;
const linesPerBatch = 20;

// Regression: a tail's buffer was counted in events only: 4 tails that never read and 2,400 lines of ~60 KB took the process to ~1 GB.
describe.each(backends)('a live tail that never reads on $name', ({ postgres }) => {
  it('is dropped once more than LOG_STREAM_BUFFER_BYTES wait for it, however few events that is', async () => {
    const { app } = await buildObservability({ postgres, env: { LOG_STREAM_BUFFER: '100000', LOG_STREAM_BUFFER_BYTES: '1048576' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const authorization = (await platformViewer()).authorization as string;
    const socket = connect({ host: '127.0.0.1', port });
    const total = batches * linesPerBatch;
    let received = '';
    let events = 0;
    let connected: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (connected = resolve));
    let everything: () => void = () => undefined;
    const outcome = new Promise<'ended' | 'everything'>((resolve) => {
      everything = () => resolve('everything');
      socket.on('error', () => resolve('ended'));
      socket.on('close', () => resolve('ended'));
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      let end: number;
      while ((end = received.indexOf('event: log\n')) >= 0) {
        events += 1;
        received = received.slice(end + 11);
      }
      connected();
      if (events >= total) everything();
    });
    socket.write(`GET /v1/logs/stream HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: ${authorization}\r\n\r\n`);
    // The tail is open once its first bytes arrive; from then on the client reads nothing.
    await opened;
    socket.pause();

    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    const pad = 'x'.repeat(60_000);
    for (let index = 0; index < batches; index += 1) {
      const lines = Array.from({ length: linesPerBatch }, () => ({ time, service: 'auth', msg: 'large line', pad }));
      expect((await postNdjson(app, shipper, ndjson(lines))).statusCode).toBe(202);
    }

    // Now it reads what it was sent: the stream ends before every line arrives (with the old count-only buffer all 400 came).
    socket.resume();
    expect(await outcome).toBe('ended');
    expect(events).toBeLessThan(total);
    socket.destroy();
    await app.close();
  });
});
