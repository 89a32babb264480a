import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach } from 'vitest';
import { createLogger, createService, type Logger, type ServiceApp } from '../src/index.js';
import type { Clock } from '../src/clock.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Closes the resource after the current test, whatever happens in it. */
export function closeAfterTest(close: () => Promise<void>): void {
  cleanups.push(close);
}

export interface TestServiceOptions {
  readonly bodyLimitBytes?: number;
  readonly corsOrigins?: string;
  readonly clock?: Clock;
  readonly log?: Logger;
}

/** A logger whose JSON lines the test reads back, parsed. */
export function capturingLogger(service = 'test-service'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter((text) => text !== '')) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { log: createLogger({ service, version: '1.0.0', level: 'info', destination }), lines };
}

/** A service built with the kit, with no routes of its own yet; closed after the test. */
export async function buildTestService(options: TestServiceOptions = {}): Promise<ServiceApp> {
  const app = await createService({
    identity: { name: 'test-service', version: '1.2.3', description: 'A service built by the kit tests.' },
    config: { BODY_LIMIT_BYTES: options.bodyLimitBytes ?? 1_048_576, CORS_ORIGINS: options.corsOrigins ?? '*' },
    log: options.log ?? createLogger({ service: 'test-service', version: '1.2.3', level: 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  closeAfterTest(() => app.close());
  return app;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A plain HTTP server on a free port that records what it receives; closed after the test. */
export async function startRecordingServer(
  answer: (request: RecordedRequest) => { status?: number; body?: string; headers?: Record<string, string> } = () => ({}),
): Promise<{ url: string; port: number; received: RecordedRequest[]; server: Server }> {
  const received: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(recorded);
      const reply = answer(recorded);
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAfterTest(() => new Promise((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, received, server };
}

/** A clock that only moves when the test says so. */
export function manualClock(start = Date.parse('2026-11-28T09:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}
