import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { backends, buildObservability, platformViewer, serviceToken } from './helper.js';
import { ndjson, searchLogs } from './logs-fixture.js';

const time = '2026-11-28T08:30:00.000Z';
const batch = (name: string, lines: number, padding = 0) => ndjson(Array.from({ length: lines }, (_, index) => ({ time, service: 'auth', msg: `${name} ${index}`, pad: 'p'.repeat(padding) })));

/** A POST whose body (announced in full) is sent only up to half until `finish` is called. */
function heldBatch(port: number, headers: Record<string, string>, body: string) {
  const bytes = Buffer.from(body);
  let answered: (response: IncomingMessage) => void = () => undefined;
  const response = new Promise<IncomingMessage>((resolve) => (answered = resolve));
  const outgoing = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/logs', headers: { ...headers, 'content-type': 'application/x-ndjson', 'content-length': String(bytes.length) } }, answered);
  outgoing.write(bytes.subarray(0, bytes.length >> 1));
  return {
    finish: async () => {
      outgoing.end(bytes.subarray(bytes.length >> 1));
      const answer = await response;
      answer.resume();
      return answer.statusCode;
    },
  };
}

/** Turns of the event loop (no timers) until the gate has admitted `batches`. */
async function admitted(app: ServiceApp, batches: number): Promise<void> {
  while (app.logIngestionGate.inFlight.batches < batches) await new Promise((resolve) => setImmediate(resolve));
}

// Regression: bodies being read and parsed were not counted, so 40 parallel 13.7 MiB batches were all 202 (RSS 150 → 765 MB).
describe.each(backends)('log batches counted from admission on $name', ({ postgres }) => {
  it('refuses batches beyond the slots or the bytes in flight with 503 and Retry-After before reading them; the admitted are stored whole', async () => {
    const { app } = await buildObservability({ postgres, env: { LOG_INGEST_CONCURRENCY: '1', LOG_INGEST_QUEUE: '2', LOG_INGEST_MAX_BYTES_IN_FLIGHT: '8192' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/v1/logs`;
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    const post = (body: string) => fetch(url, { method: 'POST', headers: { ...shipper, 'content-type': 'application/x-ndjson' }, body });

    // Two batches still arriving hold 7,000 of the 8,192 bytes and two of the three slots.
    const first = heldBatch(port, shipper, batch('first', 20, 250));
    await admitted(app, 1);
    const second = heldBatch(port, shipper, batch('second', 10, 0));
    await admitted(app, 2);
    expect(app.logIngestionGate.inFlight.bytes).toBeGreaterThan(5_000);

    const overBytes = await post(batch('over-bytes', 10, 200));
    expect(overBytes.status).toBe(503);
    expect(overBytes.headers.get('retry-after')).toBe('1');
    expect(await overBytes.json()).toMatchObject({ code: 'OBSERVABILITY_LOGS_OVERLOADED' });

    const third = heldBatch(port, shipper, batch('third', 1, 0));
    await admitted(app, 3);
    const overSlots = await post(batch('over-slots', 1, 0));
    expect(overSlots.status).toBe(503);
    expect(overSlots.headers.get('retry-after')).toBe('1');

    expect(await Promise.all([first.finish(), second.finish(), third.finish()])).toEqual([202, 202, 202]);
    const stored: string[] = (await searchLogs(app, await platformViewer(), 'limit=1000')).json().items.map((item: { msg: string }) => item.msg.split(' ')[0]);
    const counts = Object.fromEntries(['first', 'second', 'third', 'over-bytes', 'over-slots'].map((name) => [name, stored.filter((word) => word === name).length]));
    expect(counts).toEqual({ first: 20, second: 10, third: 1, 'over-bytes': 0, 'over-slots': 0 });
    expect(app.logIngestionGate.inFlight).toEqual({ batches: 0, bytes: 0 });
    await app.close();
  });
});
