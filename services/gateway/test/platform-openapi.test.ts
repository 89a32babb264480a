import { describe, expect, it } from 'vitest';
import { createHttpClient, createLogger } from '@lift/kit';
import type { OpenApiDocument } from '../src/openapi-merge.js';
import { platformOpenApi } from '../src/platform-openapi.js';
import { serviceDocuments, type ServiceLocation } from '../src/service-documents.js';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { manualClock, startUpstream } from './helper.js';

const own: OpenApiDocument = { openapi: '3.1.0', info: { title: 'Lift OS Core gateway API', version: '0.1.0' }, paths: { '/health/detailed': { get: { tags: ['health'], responses: {} } } } };

function documentOf(service: string, version = 1): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: `Lift OS Core ${service} API`, version: String(version) },
    servers: [{ url: 'http://internal-host:8001' }],
    paths: { [`/v1/things-v${version}`]: { get: { operationId: 'listThings', responses: {} } } },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
  };
}

/** A service whose /openapi.json the test can change, break or stall. */
async function documentServer(service: string) {
  let behaviour: 'serve' | 'fail' | 'hang' = 'serve';
  let version = 1;
  const upstream = await startUpstream((request, respond) => {
    if (request.url !== '/openapi.json') return respond(404, '{}');
    if (behaviour === 'fail') return respond(500, '{"status":500}');
    if (behaviour === 'serve') respond(200, JSON.stringify(documentOf(service, version)));
  });
  return {
    location: { name: service, origin: upstream.url } satisfies ServiceLocation,
    fetches: () => upstream.received.length,
    serve: (next: number) => {
      behaviour = 'serve';
      version = next;
    },
    fail: () => void (behaviour = 'fail'),
    hang: () => void (behaviour = 'hang'),
    close: upstream.close,
  };
}

function platform(services: ServiceLocation[], options: { fetchTimeoutMs?: number } = {}) {
  const clock = manualClock(0);
  const http = createHttpClient({ service: 'gateway', version: 'test' });
  closeWhenDone(() => http.close());
  const documents = serviceDocuments({ services, http, clock, log: createLogger({ service: 'gateway', version: 'test', level: 'silent' }), ...options });
  const docs = platformOpenApi({ services, documents, version: '0.1.0' });
  return { docs, advance: clock.advance };
}

describe('the platform\'s OpenAPI document, fetched from every service', () => {
  it('merges each service\'s document under its prefix with the gateway\'s own, served from the gateway', async () => {
    const auth = await documentServer('auth');
    const memory = await documentServer('memory');
    const { docs } = platform([auth.location, memory.location]);
    const document = await docs.document(own);
    expect(Object.keys(document.paths ?? {}).sort()).toEqual(['/auth/v1/things-v1', '/health/detailed', '/memory/v1/things-v1']);
    expect(document.info).toMatchObject({ title: 'Lift OS Core API', version: '0.1.0' });
    expect(document.servers).toEqual([{ url: '/', description: 'this gateway' }]);
    // X-API-Key is the gateway's own scheme: it exchanges the key, the services never see it.
    expect(document.components?.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer' }, apiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: expect.any(String) } });
    expect(document['x-lift-sources']).toEqual({ auth: 'current', memory: 'current' });
    expect(JSON.stringify(document)).not.toContain('internal-host');
    expect(JSON.stringify(document)).not.toContain('127.0.0.1');
  });

  it('fetches at most once a minute, one fetch per service however many readers ask at once', async () => {
    const auth = await documentServer('auth');
    const { docs, advance } = platform([auth.location]);
    const first = await Promise.all(Array.from({ length: 10 }, () => docs.document(own)));
    expect(auth.fetches()).toBe(1);
    expect(new Set(first).size).toBe(1);
    auth.serve(2);
    advance(59_999);
    expect(Object.keys((await docs.document(own)).paths ?? {})).toContain('/auth/v1/things-v1');
    expect(auth.fetches()).toBe(1);
    advance(1);
    expect(Object.keys((await docs.document(own)).paths ?? {})).toContain('/auth/v1/things-v2');
    expect(auth.fetches()).toBe(2);
  });

  it('keeps the last good copy of a service that fails, marked stale, and takes the new one when it is back', async () => {
    const auth = await documentServer('auth');
    const { docs, advance } = platform([auth.location]);
    await docs.document(own);
    auth.fail();
    advance(60_000);
    const whileDown = await docs.document(own);
    expect(Object.keys(whileDown.paths ?? {})).toContain('/auth/v1/things-v1');
    expect(whileDown['x-lift-sources']).toEqual({ auth: 'stale' });
    auth.serve(3);
    advance(60_000);
    const back = await docs.document(own);
    expect(Object.keys(back.paths ?? {})).toContain('/auth/v1/things-v3');
    expect(back['x-lift-sources']).toEqual({ auth: 'current' });
  });

  it('asks again, at most once a second, for a service it never reached, without waiting for the next round', async () => {
    // A gateway that starts before the services must not leave them out of its documents for a minute.
    const auth = await documentServer('auth');
    auth.fail();
    const { docs, advance } = platform([auth.location]);
    expect((await docs.document(own))['x-lift-sources']).toEqual({ auth: 'missing' });
    await docs.document(own);
    await docs.document(own);
    expect(auth.fetches()).toBe(2);
    auth.serve(1);
    advance(1_000);
    expect((await docs.document(own))['x-lift-sources']).toEqual({ auth: 'current' });
    expect(auth.fetches()).toBe(3);
  });

  it('leaves out, and names, a service never reached — a stalled one within the fetch timeout', async () => {
    const auth = await documentServer('auth');
    const billing = await documentServer('billing');
    billing.hang();
    const registry = await documentServer('registry');
    await registry.close();
    const { docs } = platform([auth.location, billing.location, registry.location], { fetchTimeoutMs: 200 });
    const started = Date.now();
    const document = await docs.document(own);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(Object.keys(document.paths ?? {}).sort()).toEqual(['/auth/v1/things-v1', '/health/detailed']);
    expect(document['x-lift-sources']).toEqual({ auth: 'current', billing: 'missing', registry: 'missing' });
    expect(document.info.description).toContain('could not be reached: billing, registry.');
  });
});
