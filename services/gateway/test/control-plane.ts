import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect } from 'vitest';
import type { HostResolver, ServiceApp } from '@lift/kit';
import { buildGateway, signedIn, testSecret } from './helper.js';

const bearer = (permissions: string[]) => signedIn(permissions);

export interface Snapshot {
  revision: number;
  modules: { moduleId: string; baseUrl: string; apiPrefix: string; enabled: boolean; status: string; routes: { method: string; pathPrefix: string; permission: string }[] }[];
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/**
 * Stand-ins for auth's token endpoint and the registry's route table (a long poll the test
 * answers by publishing a new snapshot), so the gateway's module routing is tested on its own.
 */
export async function startControlPlane(initial: Snapshot) {
  let current = initial;
  const waiting: { after: number; response: ServerResponse }[] = [];
  const seenAuthorization: string[] = [];
  const exchanges: { authorization: string; form: URLSearchParams }[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/v1/oauth/token') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange') {
          response.writeHead(200, { 'content-type': 'application/json' });
          return response.end(JSON.stringify({ access_token: 'service-token-for-gateway', token_type: 'Bearer', expires_in: 300 }));
        }
        exchanges.push({ authorization: String(request.headers.authorization), form });
        // As auth answers a delegated (module-obtained) token: it cannot be exchanged again.
        const subject = JSON.parse(Buffer.from(form.get('subject_token')?.split('.')[1] ?? '', 'base64url').toString() || '{}') as { sub?: string };
        if (subject.sub === 'delegated-user') {
          response.writeHead(400, { 'content-type': 'application/json' });
          return response.end(JSON.stringify({ error: 'invalid_grant', error_description: 'A delegated token (one with an actor) cannot be exchanged again.' }));
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: `token-for-${form.get('audience')}`, token_type: 'Bearer', expires_in: 300, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' }));
      });
      return;
    }
    if (url.pathname === '/v1/route-table') {
      seenAuthorization.push(String(request.headers.authorization));
      const after = Number(url.searchParams.get('after'));
      if (current.revision > after || url.searchParams.get('waitMs') === '0') {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify(current));
      }
      waiting.push({ after, response });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seenAuthorization,
    exchanges,
    publish(snapshot: Snapshot) {
      current = snapshot;
      for (const entry of waiting.splice(0)) {
        entry.response.writeHead(200, { 'content-type': 'application/json' });
        entry.response.end(JSON.stringify(current));
      }
    },
  };
}

export function moduleEntry(baseUrl: string, overrides: Partial<Snapshot['modules'][number]> = {}): Snapshot['modules'][number] {
  return {
    moduleId: 'causal',
    baseUrl,
    apiPrefix: '/',
    enabled: true,
    status: 'healthy',
    routes: [
      { method: 'POST', pathPrefix: '/v1/runs', permission: 'causal:run' },
      { method: 'GET', pathPrefix: '/', permission: 'causal:read' },
      { method: '*', pathPrefix: '/', permission: 'causal:write' },
    ],
    ...overrides,
  };
}

/** The gateway following the stand-in control plane, once its first route table arrived; modules may live on loopback. */
export async function gatewayFor(controlPlane: { url: string }, env: Record<string, string> = {}, options: { resolveModuleHost?: HostResolver } = {}): Promise<ServiceApp> {
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
