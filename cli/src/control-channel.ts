import { chmodSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { privateDirectoryMode } from './run-files.js';

/**
 * The local control channel of a running `lift up`: a Unix domain socket in `data/run/`, one JSON
 * request line and one JSON answer line per connection. Only its owner can reach it: the
 * directory is 0700 and the socket 0600, so the kernel refuses everyone else before a byte is read
 * — no token to leak, no port another user on the machine could connect to.
 */
export function controlSocketPath(home: string): string {
  return join(home, 'data', 'run', 'lift.sock');
}

export const controlCommands = ['stop', 'start', 'restart', 'status'] as const;
export type ControlCommand = (typeof controlCommands)[number];

export interface ControlRequest {
  readonly command: ControlCommand;
  readonly service?: string;
  /** How long `start` and `restart` wait for the service (each instance, for a rolling restart) to be ready. */
  readonly timeoutMs?: number;
  /** `restart` one instance at a time rather than all at once. */
  readonly rolling?: boolean;
}

export type ControlAnswer = { readonly ok: true } & Record<string, unknown>;
export interface ControlRefusal {
  readonly ok: false;
  readonly error: 'bad-request' | 'unknown-command' | 'unknown-service' | 'failed';
  readonly detail: string;
  readonly [key: string]: unknown;
}

export type ControlHandler = (request: ControlRequest) => Promise<ControlAnswer | ControlRefusal>;

/** A request line longer than this is refused: nothing the CLI sends comes close. */
const maxRequestBytes = 4_096;
/** A connection that sends no complete line in this time is closed. */
const requestTimeoutMs = 5_000;

export class ControlChannelBusyError extends Error {}

/**
 * Listens on the socket path. A socket file left by a supervisor that was killed (SIGKILL, a
 * crash: nothing removed it) is removed first, once a connection to it is refused; a socket that
 * answers belongs to a live supervisor and is never taken over; anything else at that path (a
 * file, a symlink) is refused rather than deleted.
 */
export async function openControlChannel(path: string, handle: ControlHandler): Promise<{ close(): Promise<void> }> {
  mkdirSync(dirname(path), { recursive: true, mode: privateDirectoryMode });
  chmodSync(dirname(path), privateDirectoryMode);
  await removeStaleSocket(path);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serve(socket, handle);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return { close: () => closeServer(server, sockets, path) };
}

async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new ControlChannelBusyError(`${path} exists and is not a socket; remove it if nothing of yours needs it`);
  if (await answers(path)) throw new ControlChannelBusyError(`another lift up answers on ${path}`);
  rmSync(path, { force: true });
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Stops listening at once: a client that keeps its connection open (answered or not) does not hold the shutdown up. */
function closeServer(server: Server, sockets: Set<Socket>, path: string): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      rmSync(path, { force: true });
      resolve();
    });
    for (const socket of sockets) socket.destroy();
  });
}

function serve(socket: Socket, handle: ControlHandler): void {
  let received = '';
  let answered = false;
  const answer = (body: ControlAnswer | ControlRefusal): void => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    socket.end(`${JSON.stringify(body)}\n`);
  };
  const timer = setTimeout(() => answer({ ok: false, error: 'bad-request', detail: `no request line within ${requestTimeoutMs} ms` }), requestTimeoutMs);
  socket.setEncoding('utf8');
  socket.on('error', () => clearTimeout(timer));
  socket.on('close', () => clearTimeout(timer));
  socket.on('data', (chunk: string) => {
    if (answered) return;
    received += chunk;
    const end = received.indexOf('\n');
    if (end < 0 && received.length <= maxRequestBytes) return;
    if (end < 0 || end > maxRequestBytes) return answer({ ok: false, error: 'bad-request', detail: `a request is one JSON line of at most ${maxRequestBytes} bytes` });
    const request = parseRequest(received.slice(0, end));
    if (!request.ok) return answer(request);
    clearTimeout(timer);
    handle(request.request).then(answer, (error: unknown) => answer({ ok: false, error: 'failed', detail: (error as Error).message }));
  });
}

function parseRequest(line: string): { ok: true; request: ControlRequest } | ControlRefusal {
  let body: unknown;
  try {
    body = JSON.parse(line);
  } catch {
    return { ok: false, error: 'bad-request', detail: 'the request is not JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'bad-request', detail: 'the request must be a JSON object' };
  const { command, service, timeoutMs, rolling } = body as Record<string, unknown>;
  if (!controlCommands.includes(command as ControlCommand)) return { ok: false, error: 'unknown-command', detail: `unknown command; choose from ${controlCommands.join(', ')}`, commands: controlCommands };
  if (service !== undefined && typeof service !== 'string') return { ok: false, error: 'bad-request', detail: 'service must be a string' };
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 600_000)) {
    return { ok: false, error: 'bad-request', detail: 'timeoutMs must be an integer from 0 to 600000' };
  }
  if (rolling !== undefined && typeof rolling !== 'boolean') return { ok: false, error: 'bad-request', detail: 'rolling must be true or false' };
  if (command !== 'status' && service === undefined) return { ok: false, error: 'bad-request', detail: `${String(command)} needs a service` };
  return { ok: true, request: { command: command as ControlCommand, ...(service !== undefined ? { service } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(rolling !== undefined ? { rolling } : {}) } };
}

export class SupervisorNotRunningError extends Error {}

/** Sends one request to the running supervisor and returns its answer. */
export function askSupervisor(path: string, request: ControlRequest, timeoutMs: number): Promise<ControlAnswer | ControlRefusal> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the supervisor did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? new SupervisorNotRunningError(`no supervisor answers on ${path}`) : error);
    });
    socket.once('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(received) as ControlAnswer | ControlRefusal);
      } catch {
        reject(new Error('the supervisor\'s answer is not JSON'));
      }
    });
  });
}
