import { request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startStandIn } from '../../../tests/support/stand-in-server.js';
import { buildGateway, signedIn } from './helper.js';

/**
 * Regression: a gateway relaying a server-sent event stream (the log tail through
 * /observability/v1/logs/stream, or a module's) held its close until the forced exit at
 * SHUTDOWN_TIMEOUT_MS, which cut the client's stream mid-chunk and skipped the closing work. The
 * close now ends such streams cleanly, while ordinary answers in flight still finish.
 */

const downloadChunks = 8;
const downloadChunk = 'x'.repeat(32 * 1024);
const downloadIntervalMs = 60;

interface Answer {
  readonly status: number;
  /** Resolves at the first bytes of the body. */
  readonly started: Promise<void>;
  /** How the answer ended: `end` for a complete one, or what broke it. */
  readonly outcome: Promise<{ ending: 'end' | 'cut off' | 'error'; body: string }>;
}

function get(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(url, { headers }, (response) => {
      let body = '';
      let markStarted: () => void = () => undefined;
      const started = new Promise<void>((done) => (markStarted = done));
      const outcome = new Promise<{ ending: 'end' | 'cut off' | 'error'; body: string }>((done) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
          markStarted();
        });
        response.once('end', () => done({ ending: 'end', body }));
        response.once('error', () => done({ ending: 'error', body }));
        // The first settle wins: a close without a complete answer is a cut-off one.
        response.once('close', () => done({ ending: response.complete ? 'end' : 'cut off', body }));
      });
      resolve({ status: response.statusCode ?? 0, started, outcome });
    });
    call.once('error', reject);
    call.end();
  });
}

/** Whether `promise` settles within `ms`, without failing when it does not. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([promise.then(() => true as const), late]);
  clearTimeout(timer);
  return settled;
}

/** An observability stand-in: an endless event stream, and a download sent in pieces over half a second. */
async function startObservability() {
  const upstream = { streamClosedByPeer: false, downloadRequested: false };
  const events = (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    let sent = 0;
    const timer = setInterval(() => response.write(`event: log\nid: ${(sent += 1)}\ndata: {"line":${sent}}\n\n`), 50);
    response.write(': tailing\n\n');
    response.once('close', () => {
      clearInterval(timer);
      upstream.streamClosedByPeer = !response.writableEnded;
    });
  };
  const download = (response: ServerResponse) => {
    upstream.downloadRequested = true;
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    let sent = 0;
    const timer = setInterval(() => {
      response.write(downloadChunk);
      sent += 1;
      if (sent === downloadChunks) {
        clearInterval(timer);
        response.end();
      }
    }, downloadIntervalMs);
    response.once('close', () => clearInterval(timer));
  };
  const standIn = await startStandIn((request, response) => {
    if (request.url === '/v1/logs/stream') return events(response);
    if (request.url === '/v1/logs/export') return download(response);
    response.writeHead(404).end();
  });
  return Object.assign(upstream, { url: standIn.url, close: standIn.close });
}

describe('closing the gateway with an event stream in relay', () => {
  it('ends the stream cleanly and releases the upstream, while an ordinary answer in flight finishes', async () => {
    const observability = await startObservability();
    const gateway = await buildGateway({ OBSERVABILITY_SERVICE_URL: observability.url });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
    const headers = await signedIn(['logs:read']);

    const stream = await get(`${base}/observability/v1/logs/stream`, headers);
    expect(stream.status).toBe(200);
    await stream.started;
    const download = await get(`${base}/observability/v1/logs/export`, headers);
    expect(download.status).toBe(200);
    // Both in flight when the close begins: the download part-way, the stream open.
    await download.started;
    const streamBeforeClose = await settlesWithin(stream.outcome, 200);

    const closeStarted = performance.now();
    const closed = await settlesWithin(gateway.close(), 2_000);
    const closeMs = performance.now() - closeStarted;
    const streamEndedByClose = await settlesWithin(stream.outcome, 100);
    const upstreamReleased = observability.streamClosedByPeer;
    // Closed either way, so that a gateway still holding the stream (the defect) gets to close too.
    await observability.close();

    expect(streamBeforeClose).toBe(false);
    expect(closed).toBe(true);
    expect(closeMs).toBeLessThan(2_000);
    expect(streamEndedByClose).toBe(true);
    const streamed = await stream.outcome;
    expect(streamed.ending).toBe('end');
    expect(streamed.body).toMatch(/^: tailing\n\n/);
    expect(streamed.body).toContain('event: log\nid: 1\n');
    expect(upstreamReleased).toBe(true);
    const downloaded = await download.outcome;
    expect(downloaded.ending).toBe('end');
    expect(downloaded.body).toBe(downloadChunk.repeat(downloadChunks));
  });
});
