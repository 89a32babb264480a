import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { repositoryRoot, startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';

const processes: ServiceProcess[] = [];
let receiver: OtlpReceiver | undefined;
afterAll(async () => {
  await Promise.all(processes.map((service) => service.stop()));
  await receiver?.close();
});

interface AccessLine {
  readonly service: string;
  readonly msg: string;
  readonly url?: string;
  readonly reqId?: string;
  readonly traceId?: string;
}

function accessLines(service: ServiceProcess): AccessLine[] {
  return service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as AccessLine)
    .filter((line) => line.msg === 'request completed');
}

/** Environment that makes the process list every ES module it loads in the returned file. */
function recordingLoadedModules(): { env: Record<string, string>; loaded: () => string[] } {
  const file = join(mkdtempSync(join(tmpdir(), 'lift-loaded-')), 'modules.txt');
  const hook = pathToFileURL(join(repositoryRoot, 'tests/support/record-loaded-modules.mjs')).href;
  return { env: { NODE_OPTIONS: `--import ${hook}`, LIFT_LOADED_MODULES_FILE: file }, loaded: () => readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

/** Whether `span` descends from `ancestor` through the spans received. */
function descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan, spans: readonly ReceivedSpan[]): boolean {
  for (let current: ReceivedSpan | undefined = span; current; current = spans.find((candidate) => candidate.spanId === current?.parentSpanId)) {
    if (current.parentSpanId === ancestor.spanId) return true;
  }
  return false;
}

describe('traces through the real gateway (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  it('one request yields the gateway\'s and the upstream\'s spans in one trace, whose id both access lines show', async () => {
    receiver = await startOtlpReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'debug' };
    const modules = recordingLoadedModules();
    const registry = startServiceProcess({ name: 'registry', port: await freePort(), env: { ...otel, ...modules.env } });
    const gateway = startServiceProcess({ name: 'gateway', port: await freePort(), env: { ...otel, REGISTRY_SERVICE_URL: registry.url } });
    processes.push(registry, gateway);
    await Promise.all([waitUntilReady(registry), waitUntilReady(gateway)]);

    const answer = await fetch(`${gateway.url}/registry/health`);
    expect(answer.status).toBe(200);
    const requestId = answer.headers.get('x-request-id');
    expect(requestId).toBeTruthy();

    // Both access lines, found by the request id the gateway passed on.
    await expect.poll(() => accessLines(gateway).some((line) => line.reqId === requestId) && accessLines(registry).some((line) => line.reqId === requestId), { timeout: 5_000 }).toBe(true);
    const gatewayLine = accessLines(gateway).find((line) => line.reqId === requestId);
    const registryLine = accessLines(registry).find((line) => line.reqId === requestId);
    const traceId = gatewayLine?.traceId ?? '';
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(registryLine?.traceId).toBe(traceId);

    const inTrace = () => (receiver?.spans ?? []).filter((span) => span.traceId === traceId);
    await expect
      .poll(() => inTrace().filter((span) => span.kind === 2).map((span) => span.resource['service.name']).sort(), { timeout: 10_000 })
      .toEqual(['gateway', 'registry']);
    const spans = inTrace();
    const gatewayServer = spans.find((span) => span.kind === 2 && span.resource['service.name'] === 'gateway');
    const registryServer = spans.find((span) => span.kind === 2 && span.resource['service.name'] === 'registry');
    if (!gatewayServer || !registryServer) throw new Error('server spans missing');
    // The gateway's span has no parent here (the client sent no traceparent) and the registry's
    // descends from it — through the gateway's undici client span for the forwarded call.
    expect(gatewayServer.parentSpanId).toBe('');
    expect(descendsFrom(registryServer, gatewayServer, spans)).toBe(true);
    const client = spans.find((span) => span.spanId === registryServer.parentSpanId);
    expect(client).toMatchObject({ kind: 3, resource: { 'service.name': 'gateway' } });
    expect(client?.attributes['url.full']).toBe(`${registry.url}/health`);
    expect(gatewayServer.name).toBe('GET /registry/*');
    expect(gatewayServer.resource['service.version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(registryServer.resource['service.version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(registryServer.attributes['http.route']).toBe('/health');
    expect(receiver.requests.every((request) => request.path === '/v1/traces' && request.contentType.startsWith('application/json'))).toBe(true);
    // The SDK lives in a chunk of its own, which a traced service loads (the other test's control).
    expect(modules.loaded().some((url) => /\/chunks\/open-telemetry-[^/]+\.js$/.test(url))).toBe(true);
  });

  it('a caller\'s traceparent is kept: the gateway\'s span is its child, in the caller\'s trace', async () => {
    const gateway = processes.find((service) => service.name === 'gateway');
    if (!gateway || !receiver) throw new Error('the first test starts the services');
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await fetch(`${gateway.url}/registry/health`, { headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` } });
    expect(answer.status).toBe(200);
    await expect.poll(() => receiver?.spans.filter((span) => span.traceId === callerTrace && span.kind === 2).length, { timeout: 10_000 }).toBe(2);
    expect(receiver.spans.find((span) => span.traceId === callerTrace && span.resource['service.name'] === 'gateway' && span.kind === 2)?.parentSpanId).toBe('00f067aa0ba902b7');
    expect(accessLines(gateway).find((line) => line.reqId === answer.headers.get('x-request-id'))?.traceId).toBe(callerTrace);
  });
  it('the values of credential query parameters reach no exported span, as they reach no access line', async () => {
    const gateway = processes.find((service) => service.name === 'gateway');
    const registry = processes.find((service) => service.name === 'registry');
    if (!gateway || !registry || !receiver) throw new Error('the first test starts the services');
    const secrets = ['SECRETKEYQ', 'SECRETCODE', 'SECRETCLIENT', 'SECRETPASSWORD'];
    const answer = await fetch(`${gateway.url}/registry/openapi.json?api_key=SECRETKEYQ&code=SECRETCODE&client_secret=SECRETCLIENT&password=SECRETPASSWORD&page=2`);
    expect(answer.status).toBe(200);
    await answer.arrayBuffer();
    const requestId = answer.headers.get('x-request-id');
    await expect.poll(() => accessLines(gateway).some((line) => line.reqId === requestId), { timeout: 5_000 }).toBe(true);
    const traceId = accessLines(gateway).find((line) => line.reqId === requestId)?.traceId;
    // The gateway's server and client spans and the registry's server span.
    await expect.poll(() => receiver?.spans.filter((span) => span.traceId === traceId && span.kind !== 1).length, { timeout: 10_000 }).toBe(3);
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    const exported = JSON.stringify(spans);
    for (const secret of secrets) expect(exported).not.toContain(secret);
    const gatewayServer = spans.find((span) => span.kind === 2 && span.resource['service.name'] === 'gateway');
    const client = spans.find((span) => span.kind === 3);
    const registryServer = spans.find((span) => span.kind === 2 && span.resource['service.name'] === 'registry');
    const query = 'api_key=[redacted]&code=[redacted]&client_secret=[redacted]&password=[redacted]&page=2';
    expect(gatewayServer?.attributes['url.path']).toBe(`/registry/openapi.json?${query}`);
    expect(client?.attributes['url.full']).toBe(`${registry.url}/openapi.json?${query}`);
    expect(client?.attributes['url.query']).toBe(`?${query}`);
    expect(registryServer?.attributes['url.path']).toBe(`/openapi.json?${query}`);
  });

  it('a caller\'s "not sampled" flag does not switch tracing off at the gateway; its trace id is kept', async () => {
    const gateway = processes.find((service) => service.name === 'gateway');
    if (!gateway || !receiver) throw new Error('the first test starts the services');
    const callerTrace = '5bf92f3577b34da6a3ce929d0e0e4737';
    const answer = await fetch(`${gateway.url}/registry/health`, { headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-00` } });
    expect(answer.status).toBe(200);
    // The gateway sampled the request itself, and the registry follows the gateway's decision.
    await expect.poll(() => receiver?.spans.filter((span) => span.traceId === callerTrace && span.kind === 2).map((span) => span.resource['service.name']).sort(), { timeout: 10_000 }).toEqual(['gateway', 'registry']);
    expect(receiver.spans.find((span) => span.traceId === callerTrace && span.resource['service.name'] === 'gateway' && span.kind === 2)?.parentSpanId).toBe('00f067aa0ba902b7');
  });

  it('attribute values are cut at 2048 characters by default, so a huge url makes no huge span', async () => {
    const gateway = processes.find((service) => service.name === 'gateway');
    if (!gateway || !receiver) throw new Error('the first test starts the services');
    const answer = await fetch(`${gateway.url}/registry/health?padding=${'x'.repeat(6000)}`);
    expect(answer.status).toBe(200);
    const requestId = answer.headers.get('x-request-id');
    await expect.poll(() => accessLines(gateway).some((line) => line.reqId === requestId), { timeout: 5_000 }).toBe(true);
    const traceId = accessLines(gateway).find((line) => line.reqId === requestId)?.traceId;
    await expect.poll(() => receiver?.spans.filter((span) => span.traceId === traceId && span.kind !== 1).length, { timeout: 10_000 }).toBe(3);
    const values = receiver.spans.filter((span) => span.traceId === traceId).flatMap((span) => Object.values(span.attributes));
    expect(Math.max(...values.map((value) => String(value).length))).toBe(2048);
  });
});

describe('a service without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('never loads the OpenTelemetry chunk, and its log lines still carry the trace id', async () => {
    const modules = recordingLoadedModules();
    const registry = startServiceProcess({ name: 'registry', port: await freePort(), env: { ...modules.env, LOG_LEVEL: 'debug' } });
    processes.push(registry);
    await waitUntilReady(registry);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    expect((await fetch(`${registry.url}/health`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } })).status).toBe(200);
    await expect.poll(() => accessLines(registry).some((line) => line.traceId === traceId), { timeout: 5_000 }).toBe(true);
    const loaded = modules.loaded();
    expect(loaded.some((url) => url.endsWith('/registry/main.js'))).toBe(true);
    expect(loaded.filter((url) => /open-telemetry|opentelemetry/.test(url))).toEqual([]);
  });
});
