import { describe, expect, it } from 'vitest';
import { createLiftClient, joinPlatform, LiftApiError } from '../src/index.js';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';

/** A stand-in gateway that answers as auth and the registry do, recording the calls. */
async function startGateway(registered: boolean) {
  const gateway = await startStandIn((request, response) => {
    const send = (status: number, body: unknown) => sendJson(response, status, body, status >= 400 ? { 'content-type': 'application/problem+json' } : {});
    if (request.url === '/auth/v1/api-keys/exchange') return send(200, { accessToken: 'module-token', tokenType: 'Bearer', expiresIn: 300 });
    if (request.method === 'POST' && request.url === '/registry/v1/modules') {
      return registered ? send(409, { status: 409, code: 'REGISTRY_MODULE_EXISTS', detail: 'exists' }) : send(201, { moduleId: 'notes', status: 'unknown', enabled: true });
    }
    if (request.method === 'PUT' && request.url === '/registry/v1/modules/notes') return send(200, { moduleId: 'notes' });
    if (request.method === 'PUT' && request.url === '/registry/v1/modules/notes/heartbeat') return send(200, { status: 'healthy', nextHeartbeatBefore: 'x' });
    send(404, { status: 404, code: 'ROUTE_NOT_FOUND', detail: 'no route' });
  });
  return {
    url: gateway.url,
    get calls() {
      return gateway.received.map((request) => `${request.method} ${request.url} ${request.headers.authorization ?? ''}`.trim());
    },
  };
}

const manifest = { moduleId: 'notes', name: 'Notes', version: '1.0.0', baseUrl: 'http://127.0.0.1:9100' };

describe('joining the platform', () => {
  it('exchanges the API key and registers the manifest', async () => {
    const gateway = await startGateway(false);
    const membership = await joinPlatform({ gatewayUrl: gateway.url, apiKey: 'lift_sk_test', manifest });
    membership.stop();
    expect(gateway.calls).toEqual(['POST /auth/v1/api-keys/exchange', 'POST /registry/v1/modules Bearer module-token']);
  });

  it('updates the manifest when the module is registered already, and sends a first heartbeat for ttl checks', async () => {
    const gateway = await startGateway(true);
    const membership = await joinPlatform({ gatewayUrl: gateway.url, apiKey: 'lift_sk_test', manifest: { ...manifest, healthCheck: { type: 'ttl', ttlSeconds: 30 } } });
    membership.stop();
    expect(gateway.calls.slice(1)).toEqual(['POST /registry/v1/modules Bearer module-token', 'PUT /registry/v1/modules/notes Bearer module-token', 'PUT /registry/v1/modules/notes/heartbeat Bearer module-token']);
  });

  it('turns problem+json answers into LiftApiError with the code', async () => {
    const gateway = await startGateway(false);
    const client = createLiftClient({ gatewayUrl: gateway.url });
    const error = await client.request('GET', '/nowhere').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LiftApiError);
    expect(error).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', message: 'no route' });
  });
});
