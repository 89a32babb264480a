import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../tests/support/free-port.js';
import { buildGateway, startUpstream } from './helper.js';
import { selfSignedCertificate } from './self-signed-certificate.js';

/** A stand-in core service that serves its own OpenAPI document and readiness, as the kit does. */
async function startDocumentedService(ready = true) {
  return startUpstream((received, respond) => {
    if (received.url === '/openapi.json') {
      return respond(200, JSON.stringify({ openapi: '3.1.0', info: { title: 'memory', version: '1' }, paths: { '/v1/items': { get: { operationId: 'listItems', responses: { 200: { description: 'ok' } } } } } }));
    }
    if (received.url === '/ready') return respond(ready ? 200 : 503, JSON.stringify({ status: ready ? 'ready' : 'unready', checks: { database: ready ? 'ok' : 'failing' } }));
    return respond(404, '{}');
  });
}

describe('the gateway serves the platform in one place', () => {
  it('merges every service\'s OpenAPI under its prefix at /openapi.json and /docs/json', async () => {
    const memory = await startDocumentedService();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url });
    const merged = (await gateway.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(merged.paths['/memory/v1/items'].get.operationId).toBe('memory.listItems');
    const docs = (await gateway.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(docs.paths['/memory/v1/items']).toBeDefined();
  });

  it('aggregates readiness at /health/detailed, without a token, 503 while a core service is not ready', async () => {
    const memory = await startDocumentedService(false);
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url });
    const answer = await gateway.inject({ method: 'GET', url: '/health/detailed' });
    expect(answer.statusCode).toBe(503);
    expect(answer.json().services.memory).toMatchObject({ status: 'unready', checks: { database: 'failing' } });
  });

  it('also listens for HTTPS on TLS_PORT when a certificate and key are configured', async () => {
    const certificate = selfSignedCertificate();
    const memory = await startUpstream();
    const port = await freePort();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile, TLS_PORT: String(port), HOST: '127.0.0.1' });
    await gateway.ready();
    const agent = new Agent({ connect: { ca: certificate.cert } });
    const answer = await request(`https://localhost:${port}/health`, { dispatcher: agent });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['strict-transport-security']).toBeDefined();
    await answer.body.dump();
    await agent.close();
    certificate.remove();
  });
});
