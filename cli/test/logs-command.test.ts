import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { observabilityLogSender, shipperRequestIdPrefix } from '../src/log-sender.js';
import { shippable } from '../src/log-sinks.js';
import { logsCommand, sinceTime, type LogItem, type LogsOptions } from '../src/logs-command.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

/**
 * A stand-in for auth's login and observability's log API, answering as the contract in
 * docs/api/observability-service.md (and the shared brief) says the real service does: the real
 * one is built in parallel, so `lift logs` is tested against this, and against the real stack in
 * tests/e2e/lift-cli.test.ts.
 */
interface StandIn {
  readonly url: string;
  readonly queries: URLSearchParams[];
  readonly posted: { headers: IncomingMessage['headers']; body: string }[];
  /** What POST /v1/logs answers next (default 202). */
  readonly ingestAnswers: { status: number; headers?: Record<string, string>; body?: unknown }[];
  /** Sends a live item to every open stream. */
  push(item: LogItem): void;
  streams(): number;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const items: LogItem[] = [
  { id: '3', time: '2026-11-30T10:00:03.000Z', service: 'registry', level: 'error', msg: 'module down', reqId: 'req-1', fields: { module: 'causal' } },
  { id: '2', time: '2026-11-30T10:00:02.000Z', service: 'gateway', level: 'info', msg: 'request completed', reqId: 'req-1', fields: { statusCode: 502 } },
  { id: '1', time: '2026-11-30T10:00:01.000Z', service: 'auth', level: 'info', msg: 'login', reqId: 'req-0', fields: {} },
];

async function standIn(): Promise<StandIn> {
  const queries: URLSearchParams[] = [];
  const posted: StandIn['posted'] = [];
  const ingestAnswers: StandIn['ingestAnswers'] = [];
  const open: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(value));
      };
      if (request.method === 'POST' && url.pathname === '/v1/login') {
        const login = JSON.parse(body) as { email: string; password: string };
        return login.email === 'admin@lift.local' && login.password === 'right' ? json(200, { accessToken: 'admin-token', organisationId: 'platform' }) : json(401, { code: 'AUTH_INVALID_CREDENTIALS' });
      }
      if (request.method === 'POST' && url.pathname === '/v1/logs') {
        posted.push({ headers: request.headers, body });
        const answer = ingestAnswers.shift() ?? { status: 202, body: { accepted: body.trim().split('\n').length, rejected: [] } };
        return json(answer.status, answer.body ?? {}, answer.headers);
      }
      if (request.headers.authorization !== 'Bearer admin-token') return json(401, { code: 'AUTH_TOKEN_INVALID' });
      queries.push(url.searchParams);
      if (url.pathname === '/v1/logs') {
        const level = url.searchParams.get('level');
        const found = items.filter((item) => (!url.searchParams.get('service') || item.service === url.searchParams.get('service')) && (!level || level !== 'error' || item.level === 'error'));
        return json(200, { items: found.slice(0, Number(url.searchParams.get('limit') ?? 100)) });
      }
      if (url.pathname === '/v1/logs/stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(': connected\n\n');
        open.push(response);
        return;
      }
      json(404, {});
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    posted,
    ingestAnswers,
    push: (item) => {
      for (const response of open) response.write(`event: log\ndata: ${JSON.stringify(item)}\n\n`);
    },
    streams: () => open.length,
  };
}

function run(options: Partial<LogsOptions> & { home: string; env: NodeJS.ProcessEnv }) {
  const out = new PassThrough();
  const err = new PassThrough();
  const printed = { out: '', err: '' };
  out.on('data', (chunk: Buffer) => (printed.out += chunk.toString('utf8')));
  err.on('data', (chunk: Buffer) => (printed.err += chunk.toString('utf8')));
  const done = logsCommand({ filters: {}, follow: false, json: false, limit: 100, out, err, ...options });
  return { printed, done };
}

const home = () => scratch('lift-logs-');
/** A port nothing listens on (one just closed): observability is down. */
const nowhere = await new Promise<string>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(`http://127.0.0.1:${port}`));
  });
});

describe('lift logs against observability (a stand-in answering like the contract)', () => {
  it('logs in as the development admin from .env.local, passes the filters, and prints oldest first in lift up\'s format', async () => {
    const api = await standIn();
    const dir = home();
    writeFileSync(join(dir, '.env.local'), 'LIFT_ADMIN_EMAIL=admin@lift.local\nLIFT_ADMIN_PASSWORD=right\n');
    const { printed, done } = run({ home: dir, env: { AUTH_SERVICE_URL: api.url, OBSERVABILITY_SERVICE_URL: api.url }, filters: { requestId: 'req-1', level: 'info', from: '2026-11-30T09:00:00.000Z' }, limit: 50 });
    expect(await done).toBe(0);
    expect(Object.fromEntries(api.queries[0] ?? [])).toEqual({ requestId: 'req-1', level: 'info', from: '2026-11-30T09:00:00.000Z', limit: '50' });
    expect(printed.out.split('\n')).toEqual([
      'auth          | 10:00:01.000 INFO  login reqId=req-0',
      'gateway       | 10:00:02.000 INFO  request completed reqId=req-1 statusCode=502',
      'registry      | 10:00:03.000 ERROR module down reqId=req-1 module=causal',
      '',
    ]);
    expect(printed.err).toBe('');
  });

  it('uses LIFT_TOKEN when set, and prints raw items with --json', async () => {
    const api = await standIn();
    const { printed, done } = run({ home: home(), env: { LIFT_TOKEN: 'admin-token', OBSERVABILITY_SERVICE_URL: api.url }, filters: { service: 'registry' }, json: true });
    expect(await done).toBe(0);
    expect(api.queries[0]?.get('service')).toBe('registry');
    expect(printed.out.trim().split('\n').map((line) => JSON.parse(line))).toEqual([items[0]]);
  });

  it('follows the live tail over SSE, printing only lines it has not printed', async () => {
    const api = await standIn();
    const stop = new AbortController();
    const { printed, done } = run({ home: home(), env: { LIFT_TOKEN: 'admin-token', OBSERVABILITY_SERVICE_URL: api.url }, filters: { level: 'error' }, follow: true, signal: stop.signal });
    await expect.poll(() => api.streams()).toBe(1);
    expect(api.queries[1]?.get('level')).toBe('error');
    expect(api.queries[1]?.has('limit')).toBe(false);
    api.push(items[0] as LogItem);
    api.push({ id: '4', time: '2026-11-30T10:00:04.000Z', service: 'billing', level: 'fatal', msg: 'out of disk', fields: {} });
    await expect.poll(() => printed.out).toContain('billing       | 10:00:04.000 FATAL out of disk');
    expect(printed.out.match(/module down/g)).toHaveLength(1);
    stop.abort();
    expect(await done).toBe(0);
  });
});

describe('lift logs when observability is down or refuses', () => {
  function filedHome(): string {
    const dir = home();
    mkdirSync(join(dir, 'data', 'logs'), { recursive: true });
    writeFileSync(join(dir, 'data', 'logs', 'registry.log.1'), `${JSON.stringify({ level: 'info', time: '2026-11-30T09:59:00.000Z', service: 'registry', msg: 'older, rotated', reqId: 'req-1' })}\n`);
    writeFileSync(
      join(dir, 'data', 'logs', 'registry.log'),
      [
        { level: 'debug', time: '2026-11-30T10:00:00.500Z', service: 'registry', msg: 'probe', reqId: 'req-1' },
        { level: 'error', time: '2026-11-30T10:00:03.000Z', service: 'registry', msg: 'module down', reqId: 'req-1' },
        { level: 'error', time: '2026-11-30T10:00:03.000Z', service: 'registry', msg: 'crash trace', stream: 'stderr' },
      ]
        .map((line) => `${JSON.stringify(line)}\n`)
        .join(''),
    );
    writeFileSync(join(dir, 'data', 'logs', 'gateway.log'), `${JSON.stringify({ level: 30, time: 1796032802000, service: 'gateway', msg: 'request completed', reqId: 'req-1' })}\nnot json\n`);
    writeFileSync(join(dir, 'data', 'logs', 'lift.log'), 'registry | {"level":"info","msg":"the detached supervisor log is not read"}\n');
    return dir;
  }

  it('reads the files instead, with the same filters applied locally, and says so on stderr', async () => {
    const dir = filedHome();
    const { printed, done } = run({ home: dir, env: { LIFT_TOKEN: 'x', OBSERVABILITY_SERVICE_URL: nowhere }, filters: { requestId: 'req-1', level: 'info' } });
    expect(await done).toBe(0);
    expect(printed.err).toBe(`lift: observability is not running (connection refused); reading the log files in ${join(dir, 'data', 'logs')} instead\n`);
    expect(printed.out.split('\n')).toEqual([
      'registry      | 09:59:00.000 INFO  older, rotated reqId=req-1',
      'gateway       | 10:00:02.000 INFO  request completed reqId=req-1',
      'registry      | 10:00:03.000 ERROR module down reqId=req-1',
      '',
    ]);
  });

  it('falls back when observability refuses the token, and when nobody can log in', async () => {
    const api = await standIn();
    const refused = run({ home: filedHome(), env: { LIFT_TOKEN: 'stolen', OBSERVABILITY_SERVICE_URL: api.url }, filters: { service: 'registry', level: 'error' }, json: true, limit: 1 });
    expect(await refused.done).toBe(0);
    expect(refused.printed.err).toMatch(/^lift: observability answered 401 \(is the token allowed to read logs\?\); reading the log files/);
    expect(refused.printed.out.trim().split('\n').map((line) => JSON.parse(line))).toEqual([{ time: '2026-11-30T10:00:03.000Z', service: 'registry', level: 'error', msg: 'crash trace', fields: { stream: 'stderr' } }]);
    const noLogin = run({ home: filedHome(), env: { AUTH_SERVICE_URL: api.url, OBSERVABILITY_SERVICE_URL: api.url, LIFT_ADMIN_EMAIL: 'admin@lift.local', LIFT_ADMIN_PASSWORD: 'wrong' } });
    expect(await noLogin.done).toBe(0);
    expect(noLogin.printed.err).toMatch(/^lift: auth refused the login of admin@lift.local \(401\); reading the log files/);
  });

  it('exits 1 when there are no files either', async () => {
    const { printed, done } = run({ home: home(), env: { LIFT_TOKEN: 'x', OBSERVABILITY_SERVICE_URL: nowhere } });
    expect(await done).toBe(1);
    expect(printed.err).toContain('and there are no log files in');
  });

  it('tails the files with --follow, across a rotation', async () => {
    const dir = filedHome();
    const stop = new AbortController();
    const { printed, done } = run({ home: dir, env: { LIFT_TOKEN: 'x', OBSERVABILITY_SERVICE_URL: nowhere }, filters: { service: 'registry' }, follow: true, limit: 1, signal: stop.signal });
    await expect.poll(() => printed.out).toContain('crash trace');
    const file = join(dir, 'data', 'logs', 'registry.log');
    appendFileSync(file, `${JSON.stringify({ level: 'warn', time: '2026-11-30T10:00:05.000Z', service: 'registry', msg: 'appended' })}\n`);
    await expect.poll(() => printed.out).toContain('WARN  appended');
    appendFileSync(file, `${JSON.stringify({ level: 'info', time: '2026-11-30T10:00:06.000Z', service: 'registry', msg: 'last before rotation' })}\n`);
    renameSync(file, `${file}.1`);
    writeFileSync(file, `${JSON.stringify({ level: 'info', time: '2026-11-30T10:00:07.000Z', service: 'registry', msg: 'first after rotation' })}\n`);
    await expect.poll(() => printed.out).toContain('first after rotation');
    expect(printed.out.indexOf('last before rotation')).toBeGreaterThan(0);
    expect(printed.out.indexOf('last before rotation')).toBeLessThan(printed.out.indexOf('first after rotation'));
    stop.abort();
    expect(await done).toBe(0);
  });
});

describe('--since', () => {
  it('takes a duration back from now or an ISO time, and nothing else', () => {
    const now = Date.parse('2026-11-30T10:00:00.000Z');
    expect(sinceTime('15m', now)).toBe('2026-11-30T09:45:00.000Z');
    expect(sinceTime('1d', now)).toBe('2026-11-29T10:00:00.000Z');
    expect(sinceTime('2026-11-30T08:00:00Z', now)).toBe('2026-11-30T08:00:00.000Z');
    expect(sinceTime('yesterday', now)).toBeUndefined();
    expect(sinceTime('15', now)).toBeUndefined();
  });
});

describe('the log sender (POST /v1/logs to the stand-in)', () => {
  const tokens = (refused: string[] = []) => ({ token: async () => 'shipper-token', refused: (token: string) => void refused.push(token) });

  it('posts NDJSON with the shipper\'s token and reads the 202\'s rejected lines', async () => {
    const api = await standIn();
    api.ingestAnswers.push({ status: 202, body: { accepted: 1, rejected: [{ index: 1, problem: 'no msg' }] } });
    const send = observabilityLogSender({ observabilityUrl: api.url, tokens: tokens() });
    expect(await send(['{"msg":"a"}', '{"bad":1}'])).toEqual({ kind: 'accepted', rejected: 1 });
    expect(api.posted[0]).toMatchObject({ body: '{"msg":"a"}\n{"bad":1}\n', headers: { authorization: 'Bearer shipper-token', 'content-type': 'application/x-ndjson' } });
  });

  // Review of issue #15: observability's own lines were never shipped, so a request to it was not
  // found across services. They are now, except its lines about the shipper's own batches.
  it('sends each batch under a request id of its own, by which observability\'s lines about it are kept back', async () => {
    const api = await standIn();
    const send = observabilityLogSender({ observabilityUrl: api.url, tokens: tokens() });
    await send(['{"msg":"a"}']);
    await send(['{"msg":"b"}']);
    const ids = api.posted.map((post) => post.headers['x-request-id'] as string);
    expect(ids[0]).toMatch(new RegExp(`^${shipperRequestIdPrefix}\\d+-1$`));
    expect(ids[1]).toMatch(new RegExp(`^${shipperRequestIdPrefix}\\d+-2$`));
    const aboutBatch = JSON.stringify({ level: 'info', service: 'observability', reqId: ids[0], msg: 'request completed', route: '/v1/logs' });
    const aboutPerson = JSON.stringify({ level: 'info', service: 'observability', reqId: 'e2e-1', msg: 'request completed', route: '/v1/status' });
    expect(shippable('observability', aboutBatch)).toBe(false);
    expect(shippable('observability', aboutPerson)).toBe(true);
    expect(shippable('gateway', JSON.stringify({ service: 'gateway', reqId: ids[0], msg: 'x' }))).toBe(true);
  });

  it('hears 429 and 503 as "later, after Retry-After", 413 as refused, 401 as a token to drop, and anything else as a failure', async () => {
    const api = await standIn();
    const refused: string[] = [];
    const send = observabilityLogSender({ observabilityUrl: api.url, tokens: tokens(refused) });
    api.ingestAnswers.push({ status: 503, headers: { 'retry-after': '7' } }, { status: 429, headers: { 'retry-after': '2' } }, { status: 413, body: { code: 'OBSERVABILITY_BATCH_TOO_LARGE' } }, { status: 401 }, { status: 500 });
    expect(await send(['{}'])).toEqual({ kind: 'retry-after', delayMs: 7_000, reason: 'observability answered 503' });
    expect(await send(['{}'])).toMatchObject({ kind: 'retry-after', delayMs: 2_000 });
    expect(await send(['{}'])).toMatchObject({ kind: 'refused', reason: expect.stringContaining('OBSERVABILITY_BATCH_TOO_LARGE') });
    expect(await send(['{}'])).toEqual({ kind: 'failed', reason: 'observability answered 401' });
    expect(refused).toEqual(['shipper-token']);
    expect(await send(['{}'])).toEqual({ kind: 'failed', reason: 'observability answered 500' });
  });
});
