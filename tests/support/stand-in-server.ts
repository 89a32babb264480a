import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeWhenDone } from './close-when-done.js';

/** A request as a stand-in received it, body read in full. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * Answers one request. The raw response is passed so a stand-in can hold it open (a long poll,
 * a hung upstream) or reset it; most answer at once with `sendJson`.
 */
export type StandInHandler = (request: ReceivedRequest, response: ServerResponse) => void;

export interface StandIn {
  readonly url: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly received: ReceivedRequest[];
  /** TCP connections accepted, for tests that must prove no connection was made. */
  readonly counted: { connections: number };
  close(): Promise<void>;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * A stand-in for another service (auth, the registry, Stripe, a module): a plain HTTP server,
 * always on 127.0.0.1 and a port the OS picks (tests run in parallel), recording what it
 * receives, and closed when the test (or the file, if started in `beforeAll`) is done.
 */
export async function startStandIn(handler: StandInHandler = (_request, response) => sendJson(response, 200, {})): Promise<StandIn> {
  const received: ReceivedRequest[] = [];
  const counted = { connections: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(recorded);
      handler(recorded, response);
    });
  });
  server.on('connection', () => (counted.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closed: Promise<void> | undefined;
  // Held-open answers (long polls, hung upstreams) would keep close() waiting: cut them.
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));
  closeWhenDone(close);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, received, counted, close };
}
