import { join } from 'node:path';
import type { Clock, HostResolver, ServiceApp, SharedState } from '@lift/kit';
import { testEpoch } from '../../../tests/support/manual-clock.js';
import { scratchDirectories } from '../../../tests/support/scratch-directories.js';
import { startServiceUnderTest } from '../../../tests/support/service-under-test.js';
import { sendJson, startStandIn, type ReceivedRequest } from '../../../tests/support/stand-in-server.js';
import { bearerFor } from '../../../tests/support/test-token.js';
import { buildApp } from '../src/app.js';
import { gatewayConfigSchema } from '../src/config.js';
import type { OpenApiDocument } from '../src/openapi-merge.js';

/** The test file's folders (mail, outboxes), removed after its last test. */
const scratch = scratchDirectories();

export { manualClock } from '../../../tests/support/manual-clock.js';

export type Received = ReceivedRequest;

export type UpstreamHandler = (request: Received, respond: (status: number, body: string, headers?: Record<string, string | string[]>) => void) => void;

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
  const upstream = await startStandIn((request, response) => {
    if (options.openApi && request.method === 'GET' && request.url === '/openapi.json') return sendJson(response, 200, options.openApi);
    handler(request, (status, body, headers) => sendJson(response, status, body, headers));
  });
  const documentFetches = (request: Received) => options.openApi !== undefined && request.method === 'GET' && request.url === '/openapi.json';
  return {
    url: upstream.url,
    port: upstream.port,
    // The document the gateway reads at start is not what a test asserts on.
    get received() {
      return upstream.received.filter((request) => !documentFetches(request));
    },
    close: upstream.close,
    counted: upstream.counted,
  };
}

export const testSecret = 'gateway tests sign their own HS256 tokens here';

/** Tokens the tests sign are issued at the manual clock's start and live long, so a test may move the clock far. */
export const longLivedSeconds = 3600 * 24 * 400;

/** A valid access token (HS256, as auth signs it in that mode) for requests to protected routes. */
export function signedIn(permissions: string[] = ['memory:read'], organisation = 'tenant-1'): Promise<{ authorization: string }> {
  return bearerFor({ secret: testSecret, organisation, permissions, subject: 'user-7', roles: ['member'], atMs: testEpoch, lifetimeSeconds: longLivedSeconds });
}

export interface GatewayOptions {
  readonly state?: SharedState;
  readonly clock?: Clock;
  readonly resolveModuleHost?: HostResolver;
  /** Keep what the gateway logs at this level and above. */
  readonly logLevel?: 'info' | 'warn';
  /** Answers through Fastify's send (as with tracing on) rather than straight to the socket. */
  readonly directRelay?: boolean;
}

/**
 * The gateway with its upstream URLs overridden, on a manual clock (the breaker's cooldown and
 * the rate-limit windows move only when the test says), with its clock and logs; closed after the test.
 */
export function startGateway(env: Record<string, string>, options: GatewayOptions = {}) {
  return startServiceUnderTest({
    name: 'gateway',
    configSchema: gatewayConfigSchema,
    // The usage outbox (when a test turns metering on) lives in a fresh folder, never in the repository's data/;
    // at close it is not given time to reach a billing that is usually not there (5 s a test otherwise).
    env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: testSecret, EVENT_OUTBOX_FILE: join(scratch('lift-gateway-'), 'outbox.db'), EVENT_OUTBOX_CLOSE_DRAIN_MS: '0', ...env },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.state ? { state: options.state } : {}),
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    buildApp: (deps) => buildApp({ ...deps, ...(options.resolveModuleHost ? { resolveModuleHost: options.resolveModuleHost } : {}), ...(options.directRelay !== undefined ? { directRelay: options.directRelay } : {}) }),
  });
}

/** The gateway app alone, for the many tests that need nothing else of it. */
export async function buildGateway(env: Record<string, string>, options: GatewayOptions = {}): Promise<ServiceApp> {
  return (await startGateway(env, options)).app;
}
