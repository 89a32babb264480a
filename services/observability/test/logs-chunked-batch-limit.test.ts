import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildObservability, platformViewer, serviceToken } from './helper.js';
import { searchLogs } from './logs-fixture.js';

describe('a chunked log batch (no Content-Length)', () => {
  it('is counted as it arrives and refused past LOG_BATCH_MAX_BYTES, naming the limit; one within it is stored', async () => {
    const { app } = await buildObservability({ env: { LOG_BATCH_MAX_BYTES: '4096' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const headers = { ...(await serviceToken('log-shipper', ['observability:ingest'])), 'content-type': 'application/x-ndjson' };
    const chunked = (lines: number) => {
      const row = new TextEncoder().encode(`${JSON.stringify({ service: 'auth', time: '2026-11-28T08:30:00Z', msg: 'chunk of a streamed batch' })}\n`);
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < lines) controller.enqueue(row);
          else controller.close();
        },
      });
    };
    const post = (lines: number) => fetch(`http://127.0.0.1:${port}/v1/logs`, { method: 'POST', headers, body: chunked(lines), duplex: 'half' } as RequestInit);
    const refused = await post(100);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_BATCH_TOO_LARGE', limit: 'LOG_BATCH_MAX_BYTES' });
    const taken = await post(5);
    expect(taken.status).toBe(202);
    expect((await searchLogs(app, await platformViewer(), '')).json().items).toHaveLength(5);
  });
});
