import type { ServerResponse } from 'node:http';
import { expect } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import type { RouteTable, RouteTableModule } from '@lift/sdk';
import { routeTableEntry } from '../../../tests/support/route-table-entry.js';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { buildGateway, signedIn, testSecret, type GatewayOptions } from './helper.js';

const bearer = (permissions: string[]) => signedIn(permissions);

/** The registry's route table as the gateway follows it: the SDK's wire type, so this fake cannot drift from the real answer. */
export type Snapshot = RouteTable;

/** As auth answers a token exchange (RFC 8693), or refuses a delegated token, which cannot be exchanged again. */
function answerTokenRequest(form: URLSearchParams, response: ServerResponse): void {
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange') {
    return sendJson(response, 200, { access_token: 'service-token-for-gateway', token_type: 'Bearer', expires_in: 300 });
  }
  const subject = JSON.parse(Buffer.from(form.get('subject_token')?.split('.')[1] ?? '', 'base64url').toString() || '{}') as { sub?: string };
  if (subject.sub === 'delegated-user') {
    return sendJson(response, 400, { error: 'invalid_grant', error_description: 'A delegated token (one with an actor) cannot be exchanged again.' });
  }
  sendJson(response, 200, { access_token: `token-for-${form.get('audience')}`, token_type: 'Bearer', expires_in: 300, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
}

/**
 * Stand-ins for auth's token endpoint and the registry's route table (a long poll the test
 * answers by publishing a new snapshot), so the gateway's module routing is tested on its own.
 */
export async function startControlPlane(initial: Snapshot) {
  let current = initial;
  const waiting: { after: number; response: ServerResponse }[] = [];
  const controlPlane = await startStandIn((request, response) => {
    const url = new URL(request.url, 'http://x');
    if (url.pathname === '/v1/oauth/token') return answerTokenRequest(new URLSearchParams(request.body), response);
    if (url.pathname !== '/v1/route-table') return void response.writeHead(404).end();
    const after = Number(url.searchParams.get('after'));
    if (current.revision > after || url.searchParams.get('waitMs') === '0') return sendJson(response, 200, current);
    waiting.push({ after, response });
  });
  const requestsTo = (path: string) => controlPlane.received.filter((request) => new URL(request.url, 'http://x').pathname === path);
  return {
    url: controlPlane.url,
    get seenAuthorization() {
      return requestsTo('/v1/route-table').map((request) => String(request.headers.authorization));
    },
    get exchanges() {
      return requestsTo('/v1/oauth/token')
        .map((request) => ({ authorization: String(request.headers.authorization), form: new URLSearchParams(request.body) }))
        .filter((exchange) => exchange.form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:token-exchange');
    },
    publish(snapshot: Snapshot) {
      current = snapshot;
      for (const entry of waiting.splice(0)) sendJson(entry.response, 200, current);
    },
  };
}

/** A route-table entry for the module `causal`; what the gateway does not read (role grants, memory needs) is left empty. */
export function moduleEntry(baseUrl: string, overrides: Partial<RouteTableModule> = {}): RouteTableModule {
  const routes = [
    { method: 'POST', pathPrefix: '/v1/runs', permission: 'causal:run' },
    { method: 'GET', pathPrefix: '/', permission: 'causal:read' },
    { method: '*', pathPrefix: '/', permission: 'causal:write' },
  ];
  return routeTableEntry({ moduleId: 'causal', baseUrl, routes, ...overrides });
}

/** The gateway following the stand-in control plane, once its first route table arrived; modules may live on loopback. */
export async function gatewayFor(controlPlane: { url: string }, env: Record<string, string> = {}, options: GatewayOptions = {}): Promise<ServiceApp> {
  const gateway = await buildGateway({
    JWT_ALGORITHM: 'HS256',
    JWT_SECRET: testSecret,
    AUTH_SERVICE_URL: controlPlane.url,
    REGISTRY_SERVICE_URL: controlPlane.url,
    SERVICE_CLIENT_SECRETS: 'gateway:gateway-secret-0123456789',
    ROUTE_TABLE_WAIT_MS: '20000',
    MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8',
    ...env,
  }, options);
  // Module routing answers 503 until the first table arrives; wait for it.
  await expect.poll(async () => (await gateway.inject({ method: 'GET', url: '/modules/causal', headers: await bearer([]) })).json().code).not.toBe('GATEWAY_MODULE_ROUTING_UNAVAILABLE');
  return gateway;
}
