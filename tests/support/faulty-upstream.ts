import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { closeWhenDone } from './close-when-done.js';

/** A request the upstream received on a proxied path (the gateway's own /openapi.json is not counted). */
export interface ArrivedRequest {
  readonly method: string;
  readonly path: string;
}

/** An upstream that misbehaves on purpose, and what it saw of the gateway. */
export interface FaultyUpstream {
  readonly url: string;
  /** Proxied requests, in arrival order. */
  readonly received: ArrivedRequest[];
  /**
   * Connections that carried a proxied request and are open now: a hung request must not hold one
   * for good. Not counted: the one the gateway fetched /openapi.json on, and idle ones (undici
   * opens a fresh connection after it closed one under an aborted request).
   */
  openConnections(): number;
}

/**
 * Enough of a service's OpenAPI document for the gateway's public-route table: answered at once,
 * so that a hanging upstream hangs only the requests the test sends.
 */
const emptyDocument = JSON.stringify({ openapi: '3.1.0', info: { title: 'faulty upstream', version: '1.0.0' }, paths: {} });

/** The connections open now, and those that carried a proxied request while they are open. */
interface Connections {
  readonly open: Set<Socket>;
  readonly proxying: Set<Socket>;
}

function carried(connections: Connections, socket: Socket): void {
  if (connections.proxying.has(socket) || socket.destroyed) return;
  connections.proxying.add(socket);
  socket.once('close', () => connections.proxying.delete(socket));
}

async function listen(server: Server, connections: Connections): Promise<string> {
  server.on('connection', (socket: Socket) => {
    connections.open.add(socket);
    socket.once('close', () => connections.open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Held-open answers would keep close() waiting: they are cut, as a crashed upstream's would be.
  closeWhenDone(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of connections.open) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * An HTTP upstream whose handler decides when (or whether) to answer; the request body is left
 * to the handler. Closed when the test (or, from `beforeAll`, the file) is done.
 */
export async function startHttpUpstream(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<FaultyUpstream> {
  const received: ArrivedRequest[] = [];
  const connections: Connections = { open: new Set(), proxying: new Set() };
  const server = createHttpServer((request, response) => {
    if (request.url === '/openapi.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(emptyDocument);
      return;
    }
    received.push({ method: request.method ?? '', path: request.url ?? '' });
    carried(connections, request.socket);
    handler(request, response);
  });
  const url = await listen(server, connections);
  return { url, received, openConnections: () => connections.proxying.size };
}

/**
 * A raw TCP upstream, for what no HTTP server can do: reset the connection (a crashing process).
 * The handler gets each connection with the request line of the first request on it.
 */
export async function startTcpUpstream(handler: (socket: Socket, request: ArrivedRequest) => void): Promise<FaultyUpstream> {
  const received: ArrivedRequest[] = [];
  const connections: Connections = { open: new Set(), proxying: new Set() };
  const server = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => {
      const [method = '', path = ''] = chunk.toString('latin1').split('\r\n', 1)[0]?.split(' ') ?? [];
      if (path === '/openapi.json') {
        socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(emptyDocument)}\r\nconnection: close\r\n\r\n${emptyDocument}`);
        return;
      }
      const request = { method, path };
      received.push(request);
      carried(connections, socket);
      handler(socket, request);
    });
  });
  const url = await listen(server, connections);
  return { url, received, openConnections: () => connections.proxying.size };
}
