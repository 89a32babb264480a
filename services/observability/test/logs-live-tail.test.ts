import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { backends, buildObservability, platformViewer, serviceToken, tenantAdmin } from './helper.js';
import { ndjson, postNdjson } from './logs-fixture.js';

const time = '2026-11-28T08:30:00.000Z';

/** Reads server-sent events from a live tail until `count` `log` events have arrived. */
function openTail(port: number, query: string, headers: Record<string, string>) {
  return new Promise<{ response: IncomingMessage; events: (count: number) => Promise<unknown[]>; closed: Promise<void> }>((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: `/v1/logs/stream${query}`, headers }, (response) => {
      let buffer = '';
      const received: unknown[] = [];
      let wanted: { count: number; done: (events: unknown[]) => void } | undefined;
      const check = () => {
        if (wanted && received.length >= wanted.count) wanted.done(received.slice(0, wanted.count));
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(event);
          if (/^event: log$/m.test(event) && data) received.push(JSON.parse(data[1] as string));
        }
        check();
      });
      const closed = new Promise<void>((done) => response.on('close', () => done()));
      resolve({
        response,
        closed,
        events: (count) =>
          new Promise((done) => {
            wanted = { count, done };
            check();
          }),
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe.each(backends)('live tail on $name', ({ postgres }) => {
  it('sends a line written after the client connected, filtered and within the reader\'s organisation; ends when the app closes', async () => {
    const { app } = await buildObservability({ postgres });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const platform = await openTail(port, '?level=warn', await platformViewer());
    expect(platform.response.statusCode).toBe(200);
    expect(platform.response.headers['content-type']).toContain('text/event-stream');
    const tenant = await openTail(port, '', await tenantAdmin('org-a'));

    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    await postNdjson(app, shipper, ndjson([
      { time, level: 'info', service: 'auth', org: 'org-a', msg: 'quiet line of a' },
      { time, level: 'error', service: 'memory', org: 'org-b', reqId: 'req-9', msg: 'loud line of b' },
      { time, level: 'warn', service: 'gateway', org: 'org-a', msg: 'loud line of a' },
    ]));
    expect(await platform.events(2)).toEqual([
      expect.objectContaining({ service: 'memory', level: 'error', msg: 'loud line of b', reqId: 'req-9', org: 'org-b', time }),
      expect.objectContaining({ service: 'gateway', level: 'warn', msg: 'loud line of a' }),
    ]);
    expect((await tenant.events(2)).map((event) => (event as { msg: string }).msg)).toEqual(['quiet line of a', 'loud line of a']);

    const refused = await fetch(`http://127.0.0.1:${port}/v1/logs/stream?org=org-b`, { headers: await tenantAdmin('org-a') });
    expect(refused.status).toBe(403);
    await app.close();
    await Promise.all([platform.closed, tenant.closed]);
  });
});

// Replicas share lines only through Redis: this runs on PostgreSQL + Redis alone (never a skip on SQLite).
describe.each(backends.filter((backend) => backend.postgres))('live tail across replicas on $name', ({ postgres }) => {
  it('sends a line ingested on another replica', async () => {
    const first = await buildObservability({ postgres });
    const second = await buildObservability({ postgres, storage: first.storage });
    await second.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = second.app.server.address() as AddressInfo;
    const tail = await openTail(port, '?service=billing', await platformViewer());
    await postNdjson(first.app, await serviceToken('log-shipper', ['observability:ingest']), ndjson([{ time, service: 'billing', msg: 'invoice paid elsewhere' }]));
    expect(await tail.events(1)).toEqual([expect.objectContaining({ service: 'billing', msg: 'invoice paid elsewhere' })]);
  });
});
