import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceLogFile } from '../src/log-files.js';
import { dropReporter, openLogSinks } from '../src/log-sinks.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * A stand-in for auth's token endpoint and observability's POST /v1/logs (as the log API contract
 * describes it): records the client credentials presented and the NDJSON bodies received.
 */
async function standIn() {
  const tokenRequests: string[] = [];
  const batches: { authorization: string | undefined; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.url === '/v1/oauth/token') {
        tokenRequests.push(Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ access_token: 'shipper-token', token_type: 'Bearer', expires_in: 300 }));
      }
      batches.push({ authorization: request.headers.authorization, body });
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ accepted: body.trim().split('\n').length, rejected: [] }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokenRequests, batches };
}

const line = (service: string, msg: string) => JSON.stringify({ level: 'info', time: '2026-11-30T10:00:00.000Z', service, msg });

describe('where the supervised services\' lines go', () => {
  it('to each service\'s file, and to observability with the log-shipper token — observability\'s own too, but not those about the shipper\'s batches', async () => {
    const api = await standIn();
    const home = scratch('lift-sinks-');
    const said: string[] = [];
    const sinks = await openLogSinks({ home, services: ['registry', 'observability'], env: { SERVICE_CLIENT_SECRETS: 'registry:r,log-shipper:shipper-secret', AUTH_SERVICE_URL: api.url, OBSERVABILITY_SERVICE_URL: api.url }, say: (text) => said.push(text) });
    sinks.line('observability', JSON.stringify({ level: 'info', time: '2026-11-30T10:00:00.000Z', service: 'observability', reqId: 'lift-log-shipper-1-1', msg: 'ingested 1 line' }), 'stdout');
    sinks.line('observability', line('observability', 'alert fired'), 'stdout');
    sinks.line('registry', line('registry', 'module registered'), 'stdout');
    sinks.line('registry', 'Error: boom', 'stderr');
    await expect.poll(() => api.batches.length, { timeout: 5_000 }).toBe(1);
    expect(api.tokenRequests).toEqual(['log-shipper:shipper-secret']);
    expect(api.batches[0]?.authorization).toBe('Bearer shipper-token');
    const shipped = (api.batches[0]?.body ?? '').trim().split('\n').map((text) => JSON.parse(text) as { service: string; msg: string; level: string });
    expect(shipped.map((entry) => [entry.service, entry.level, entry.msg])).toEqual([
      ['observability', 'info', 'alert fired'],
      ['registry', 'info', 'module registered'],
      ['registry', 'error', 'Error: boom'],
    ]);
    expect(readFileSync(serviceLogFile(home, 'observability'), 'utf8')).toContain('ingested 1 line');
    expect(readFileSync(serviceLogFile(home, 'registry'), 'utf8').trim().split('\n')).toHaveLength(2);
    // The batch is counted once its answer is read, a moment after the stand-in has it.
    await expect.poll(() => sinks.shipping()).toMatchObject({ shipped: 3, dropped: 0, queued: 0 });
    await sinks.close();
    expect(said).toEqual([]);
  });

  it('to the files only when observability is not run, or when there is no log-shipper secret (said once)', async () => {
    const home = scratch('lift-sinks-');
    const without = await openLogSinks({ home, services: ['registry'], env: { SERVICE_CLIENT_SECRETS: 'log-shipper:x' }, say: () => undefined });
    without.line('registry', line('registry', 'hello'), 'stdout');
    expect(without.shipping()).toBeUndefined();
    await without.close();
    const said: string[] = [];
    const noSecret = await openLogSinks({ home, services: ['registry', 'observability'], env: { SERVICE_CLIENT_SECRETS: 'registry:r' }, say: (text) => said.push(text) });
    expect(noSecret.shipping()).toBeUndefined();
    expect(said).toEqual([expect.stringContaining('SERVICE_CLIENT_SECRETS has no log-shipper secret')]);
    await noSecret.close();
    expect(existsSync(serviceLogFile(home, 'registry'))).toBe(true);
  });
});

describe('the drop report', () => {
  it('is a lift: line when lines were dropped since the last one, at most once a minute', () => {
    const said: string[] = [];
    const report = dropReporter((line) => said.push(line));
    report(0, 0);
    expect(said).toEqual([]);
    report(120, 10_000);
    expect(said).toEqual(['log shipping dropped 120 lines (observability slow or away; 120 since the start). The files in data/logs have them all.']);
    report(500, 20_000);
    report(900, 60_000);
    expect(said).toHaveLength(1);
    report(900, 70_000);
    expect(said[1]).toBe('log shipping dropped 780 lines (observability slow or away; 900 since the start). The files in data/logs have them all.');
    report(900, 200_000);
    expect(said).toHaveLength(2);
  });
});
