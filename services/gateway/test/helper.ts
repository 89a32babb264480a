import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createHttpClient, createLogger, InProcessState, loadConfig, systemClock, type Clock, type HostResolver, type ServiceApp, type SharedState } from '@lift/kit';
import { bearerFor } from '../../../tests/support/test-token.js';
import { buildApp } from '../src/app.js';
import { gatewayConfigSchema } from '../src/config.js';
import type { OpenApiDocument } from '../src/openapi-merge.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type UpstreamHandler = (request: Received, respond: (status: number, body: string, headers?: Record<string, string>) => void) => void;

/**
 * A service's OpenAPI document declaring `publicRoutes` (`'POST /v1/login'`, templates allowed)
 * public with `security: []`, and `protectedRoutes` behind a bearer token, as the kit documents them.
 */
export function serviceDocument(publicRoutes: readonly string[], protectedRoutes: readonly string[] = []): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (route: string, security: Record<string, string[]>[]) => {
    const [method = '', path = ''] = route.split(' ');
    paths[path] = { ...paths[path], [method.toLowerCase()]: { security, responses: { 200: { description: 'ok' } } } };
  };
  for (const route of publicRoutes) add(route, []);
  for (const route of protectedRoutes) add(route, [{ bearerAuth: [] }]);
  return { openapi: '3.1.0', info: { title: 'a stand-in service', version: '1' }, paths };
}

/** What auth's document declares public (see services/auth/src/routes). */
export const authDocument = serviceDocument(
  ['POST /v1/register', 'POST /v1/login', 'POST /v1/token/refresh', 'POST /v1/logout', 'POST /v1/api-keys/exchange', 'POST /v1/oauth/token', 'POST /v1/verify', 'GET /.well-known/jwks.json'],
  ['GET /v1/me', 'POST /v1/api-keys'],
);

export interface StandInOptions {
  /** Served at GET /openapi.json, unrecorded, instead of passing that request to the handler. */
  readonly openApi?: OpenApiDocument;
}

/** A stand-in upstream service on a free port that records what the gateway sends it. */
export async function startUpstream(handler: UpstreamHandler = (_request, respond) => respond(200, '{"ok":true}'), options: StandInOptions = {}) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    if (options.openApi && request.method === 'GET' && request.url === '/openapi.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(options.openApi));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(recorded);
      handler(recorded, (status, body, headers) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(body);
      });
    });
  });
  // TCP connections accepted, for tests that must prove no connection was made.
  const counted = { connections: 0 };
  server.on('connection', () => (counted.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, received, close, counted };
}

export const testSecret = 'gateway tests sign their own HS256 tokens here';

/** A valid access token (HS256, as auth signs in that mode) for requests to protected routes. */
export function signedIn(permissions: string[] = ['memory:read'], organisation = 'tenant-1'): Promise<{ authorization: string }> {
  return bearerFor({ secret: testSecret, organisation, permissions, subject: 'user-7', roles: ['member'] });
}

/** The gateway app with its upstream URLs overridden; closed after the test. */
export async function buildGateway(env: Record<string, string>, options: { state?: SharedState; clock?: Clock; resolveModuleHost?: HostResolver } = {}): Promise<ServiceApp> {
  // The usage outbox (when a test turns metering on) lives in a fresh folder, never in the repository's data/.
  const outboxFile = join(mkdtempSync(join(tmpdir(), 'lift-gateway-')), 'outbox.db');
  const config = await loadConfig(gatewayConfigSchema, { env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: testSecret, EVENT_OUTBOX_FILE: outboxFile, ...env } });
  const log = createLogger({ service: 'gateway', version: 'test', level: 'silent' });
  const clock = options.clock ?? systemClock;
  const state = options.state ?? new InProcessState(clock);
  const http = createHttpClient({ service: 'gateway', version: 'test' });
  const app = await buildApp({ config, log, clock, state, http, ...(options.resolveModuleHost ? { resolveModuleHost: options.resolveModuleHost } : {}) });
  cleanups.push(async () => {
    await app.close();
    await http.close();
    await state.close();
  });
  return app;
}
