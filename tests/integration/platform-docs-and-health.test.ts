import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, createLogger, createService, systemClock, type HttpClient, type ServiceApp } from '@lift/kit';
import { healthDetailedRoute } from '../../services/gateway/src/health-detailed.js';
import { platformOpenApi } from '../../services/gateway/src/platform-openapi.js';
import { serviceDocuments, type ServiceLocation } from '../../services/gateway/src/service-documents.js';
import { unresolvedReferences } from '../../services/gateway/test/unresolved-references.js';
import { freePort } from '../support/free-port.js';
import { coreServiceNames } from '../support/platform-stack.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';

// The five core services as real processes: their real documents and /ready are what the gateway merges and probes.
let services: ServiceProcess[] = [];
let locations: ServiceLocation[] = [];
let http: HttpClient;
let gateway: ServiceApp;
const log = createLogger({ service: 'gateway', version: 'test', level: 'silent' });

beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'lift-docs-'));
  services = await Promise.all(coreServiceNames.map(async (name) => startServiceProcess({ name, port: await freePort(), cwd })));
  await Promise.all(services.map((service) => waitUntilReady(service)));
  locations = services.map((service) => ({ name: service.name, origin: service.url }));
  http = createHttpClient({ service: 'gateway', version: 'test' });
  gateway = await createService({ identity: { name: 'gateway', version: '0.1.0', description: 'test' }, config: { BODY_LIMIT_BYTES: 1_048_576, CORS_ORIGINS: '*' }, log });
  await healthDetailedRoute(gateway, { services: locations, modules: { loaded: true, list: () => [] }, http, clock: systemClock, cacheMs: 0 });
  await gateway.ready();
});

afterAll(async () => {
  await gateway?.close();
  await http?.close();
  await Promise.all(services.map((service) => service.stop()));
});

describe('the gateway\'s view of the real platform', () => {
  it('merges every core service\'s real OpenAPI document into one consistent document', async () => {
    const docs = platformOpenApi({ services: locations, documents: serviceDocuments({ services: locations, http, clock: systemClock, log }), version: '0.1.0' });
    const document = await docs.document(gateway.swagger());
    expect(document['x-lift-sources']).toEqual(Object.fromEntries(coreServiceNames.map((name) => [name, 'current'])));
    const paths = Object.keys(document.paths ?? {});
    expect(paths).toEqual(expect.arrayContaining(['/health/detailed', '/auth/v1/login', '/auth/health', '/registry/v1/modules', '/billing/v1/plans', '/memory/ready', '/observability/ready']));
    for (const name of coreServiceNames) expect(paths.filter((path) => path.startsWith(`/${name}/`)).length).toBeGreaterThan(1);
    expect(unresolvedReferences(document)).toEqual([]);
    const operationIds = Object.values(document.paths ?? {}).flatMap((item) => Object.values(item).map((operation) => (operation as { operationId?: string }).operationId).filter((id) => id !== undefined));
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(document.components?.securitySchemes).toHaveProperty('bearerAuth');
    expect(JSON.stringify(document)).not.toContain('127.0.0.1');
  });

  it('reports every core service ready, then the one that stopped as unreachable with 503', async () => {
    const healthy = await gateway.inject({ method: 'GET', url: '/health/detailed' });
    expect(healthy.statusCode).toBe(200);
    const body = healthy.json();
    expect(body.status).toBe('ok');
    for (const name of coreServiceNames) expect(body.services[name]).toMatchObject({ status: 'ready', checks: { database: 'ok' } });

    const memory = services.find((service) => service.name === 'memory');
    expect(await memory?.stop()).toBe(0);
    const degraded = await gateway.inject({ method: 'GET', url: '/health/detailed' });
    expect(degraded.statusCode).toBe(503);
    expect(degraded.json()).toMatchObject({ status: 'degraded', services: { memory: { status: 'unreachable' }, auth: { status: 'ready' } } });
  });
});
