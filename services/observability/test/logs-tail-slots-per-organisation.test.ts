import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, buildObservability, platformViewer, tenantAdmin } from './helper.js';

/** Opens a live tail and answers once its status is known (the stream stays open). */
function openTail(port: number, headers: Record<string, string>) {
  return new Promise<{ outgoing: ClientRequest; response: IncomingMessage }>((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: '/v1/logs/stream', headers }, (response) => resolve({ outgoing, response }));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const open: ClientRequest[] = [];
afterEach(() => {
  for (const outgoing of open.splice(0)) outgoing.destroy();
});

// Regression: one tenant opened every live-tail slot and the platform admin's own tail got 503.
describe.each(backends)('live-tail slots kept from any one tenant on $name', ({ postgres }) => {
  it('holds an organisation to its cap and tenants to their share, and the platform still tails; refusals are logged as refusals', async () => {
    const { app, logs } = await buildObservability({ postgres, env: { LOG_STREAM_MAX_CLIENTS: '5', LOG_STREAM_MAX_CLIENTS_PER_ORG: '2', LOG_STREAM_PLATFORM_RESERVE: '2' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const status = async (headers: Record<string, string>) => {
      const { outgoing, response } = await openTail(port, headers);
      open.push(outgoing);
      return { status: response.statusCode, headers: response.headers, response };
    };

    const orgA = await tenantAdmin('org-a');
    expect((await status(orgA)).status).toBe(200);
    expect((await status(orgA)).status).toBe(200);
    const third = await status(orgA);
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('5');
    // Another organisation takes the last slot of the tenants' share (5 − 2 reserved)…
    expect((await status(await tenantAdmin('org-b'))).status).toBe(200);
    const beyondShare = await status(await tenantAdmin('org-c'));
    expect(beyondShare.status).toBe(503);
    // …and the platform's reserve is still there.
    const viewer = await platformViewer();
    expect((await status(viewer)).status).toBe(200);
    expect((await status(viewer)).status).toBe(200);
    const replicaFull = await status(viewer);
    expect(replicaFull.status).toBe(503);

    const refusals = await fetch(`http://127.0.0.1:${port}/v1/logs/stream`, { headers: viewer });
    expect(await refusals.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_TAILS_FULL' });
    // A limit the service keeps on purpose is not a failure: warn "request refused", never error.
    expect(logs.filter((entry) => entry.msg === 'request failed')).toEqual([]);
    expect(logs.filter((entry) => entry.msg === 'request refused' && entry.level === 'warn' && entry.code === 'OBSERVABILITY_LOG_TAILS_FULL').length).toBeGreaterThanOrEqual(2);
    for (const outgoing of open.splice(0)) outgoing.destroy();
    await app.close();
  });
});
