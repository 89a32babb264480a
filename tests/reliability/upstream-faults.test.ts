import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeWhenDone } from '../support/close-when-done.js';
import { startHttpUpstream, startTcpUpstream, type FaultyUpstream } from '../support/faulty-upstream.js';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { bearerFor } from '../support/test-token.js';
import { burst, median, timedRequest, type TimedAnswer } from '../support/timed-request.js';

/**
 * Faults (issue #21): upstreams that hang, reset or crawl, met by the real gateway process under
 * bursts of parallel requests. The promises are docs/api/gateway-api.md's "Resilience": 504 when
 * no answer comes within UPSTREAM_TIMEOUT_MS (to start answering, and between two chunks), 502
 * when the upstream breaks the exchange, retries of idempotent requests without a body only after
 * a broken connection and within the retry budget, the circuit opening after consecutive failures.
 * Each test starts its own gateway: circuits and retry budgets are per gateway and per upstream.
 */

const secret = 'the upstream-faults suite signs its own HS256 tokens';
const coreServices = ['auth', 'memory', 'registry', 'billing', 'observability'] as const;
type CoreService = (typeof coreServices)[number];

// The margin a loaded two-core machine gets on top of a timeout before an answer counts as late.
const lateMarginMs = 1_500;
// Beyond this a request is abandoned and counted as hung (no test waits on a hang).
const hangDeadlineMs = 15_000;
const stackTrace = /\bat .+:\d+:\d+|node:internal|\/src\/|\.ts:\d+/;

interface GatewayUnderTest {
  readonly process: ServiceProcess;
  readonly url: string;
  readonly headers: Record<string, string>;
}

async function gatewayTowards(upstreams: Partial<Record<CoreService, FaultyUpstream>>, env: Record<string, string>): Promise<GatewayUnderTest> {
  // Services the test does not name answer at once — never the seed's ports, which are another suite's.
  const quiet = await startHttpUpstream((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  const urls = Object.fromEntries(coreServices.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, (upstreams[name] ?? quiet).url]));
  const gateway = startServiceProcess({ name: 'gateway', port: await freePort(), env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, ...urls, ...env } });
  closeWhenDone(async () => {
    await gateway.stop();
  });
  await waitUntilReady(gateway);
  const headers = await bearerFor({ secret, organisation: 'platform', permissions: [], atMs: Date.now() });
  return { process: gateway, url: gateway.url, headers };
}

/** One line per answer, so that a burst is judged at a glance: `504 GATEWAY_UPSTREAM_TIMEOUT memory`, `200 cut`. */
function outcome(answer: TimedAnswer): string {
  if (answer.ending !== 'complete' || !answer.contentType?.startsWith('application/problem+json')) return `${answer.status ?? 'no head'} ${answer.ending}`;
  const problem = JSON.parse(answer.body.toString('utf8')) as { status?: number; code?: string; upstream?: string; requestId?: string };
  // Every problem of the gateway's is whole: its status repeated, a request id, never a stack trace.
  const whole = problem.status === answer.status && typeof problem.requestId === 'string' && !stackTrace.test(answer.body.toString('utf8'));
  return `${answer.status} ${problem.code} ${problem.upstream}${whole ? '' : ' (malformed)'}`;
}

function tally(answers: readonly TimedAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[outcome(answer)] = (counts[outcome(answer)] ?? 0) + 1;
  return counts;
}

/** A sample of the gateway's own /metrics (0 when the series does not exist yet). */
async function metric(gateway: GatewayUnderTest, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The gateway survived: it answers /health, and never answered or logged an internal error. */
async function expectGatewayStillUp(gateway: GatewayUnderTest): Promise<void> {
  expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  expect(gateway.process.child.exitCode).toBeNull();
  expect(gateway.process.output()).not.toContain('INTERNAL_ERROR');
}

function report(line: string): void {
  process.stdout.write(`upstream faults: ${line}\n`);
}

const ms = (values: readonly number[]) => `median ${Math.round(median(values))} ms, max ${Math.round(Math.max(...values))} ms`;

describe('the gateway process towards upstreams that hang, reset or crawl', () => {
  it('answers a burst to an upstream that never answers with 504s in time, releases its connections, and opens the circuit with one probe per cooldown', async () => {
    const timeoutMs = 600;
    const memory = await startHttpUpstream(() => undefined);
    // Fewer connections than the burst: the 20 queued behind the hung ones are bounded by the same timeout.
    const gateway = await gatewayTowards({ memory }, { UPSTREAM_TIMEOUT_MS: String(timeoutMs), UPSTREAM_CONNECTIONS: '10', CIRCUIT_BREAKER_FAILURES: '5', CIRCUIT_BREAKER_COOLDOWN_MS: '2000' });
    // Each request names its caller, so what reached the upstream is told apart whenever it arrives.
    const get = (caller: string) => timedRequest(`${gateway.url}/memory/v1/memories?caller=${caller}`, { headers: gateway.headers, deadlineMs: hangDeadlineMs });
    const post = (caller: string) =>
      timedRequest(`${gateway.url}/memory/v1/memories?caller=${caller}`, { method: 'POST', headers: { ...gateway.headers, 'content-type': 'application/json' }, body: JSON.stringify({ text: caller }), deadlineMs: hangDeadlineMs });
    const arrivedFrom = (caller: RegExp) => memory.received.filter((request) => caller.test(request.path)).map((request) => request.path);

    const answers = await burst(30, (index) => (index % 3 === 0 ? post(`burst-${index}`) : get(`burst-${index}`)));
    // All 30 were in flight before the first timed out: the circuit opens behind them, not among them.
    expect(tally(answers)).toEqual({ '504 GATEWAY_UPSTREAM_TIMEOUT memory': 30 });
    const durations = answers.map((answer) => answer.ms);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(Math.max(...durations)).toBeLessThan(timeoutMs + lateMarginMs);
    // The gateway closes a connection whose answer timed out: none is left holding the upstream.
    await expect.poll(() => memory.openConnections(), { timeout: 5_000, interval: 20 }).toBe(0);

    // Open: refused at once, without a connection.
    const refused = await get('refused');
    expect(outcome(refused)).toBe('503 GATEWAY_CIRCUIT_OPEN memory');
    expect(refused.ms).toBeLessThan(timeoutMs);

    // After the cooldown exactly one request of a burst goes through as the probe; it fails, and
    // the circuit opens again.
    let probing: TimedAnswer[] = [];
    let round = 0;
    await expect
      .poll(
        async () => {
          round += 1;
          probing = await burst(10, (index) => get(`probe-${round}-${index}`));
          return probing.some((answer) => outcome(answer) !== '503 GATEWAY_CIRCUIT_OPEN memory');
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(true);
    expect(tally(probing)).toEqual({ '504 GATEWAY_UPSTREAM_TIMEOUT memory': 1, '503 GATEWAY_CIRCUIT_OPEN memory': 9 });
    expect(outcome(await get('after-probe'))).toBe('503 GATEWAY_CIRCUIT_OPEN memory');
    expect(await metric(gateway, 'gateway_upstream_circuit_state', { upstream: 'memory' })).toBe(2);
    expect(await metric(gateway, 'gateway_upstream_requests_total', { upstream: 'memory', outcome: 'UND_ERR_HEADERS_TIMEOUT' })).toBe(31);
    await expect.poll(() => memory.openConnections(), { timeout: 5_000, interval: 20 }).toBe(0);

    // What reached the upstream: at least a connection's worth of the burst, none of them twice
    // (a timeout is never retried), the one probe, and nothing while the circuit was open.
    const sent = arrivedFrom(/caller=burst-/);
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(new Set(sent).size).toBe(sent.length);
    expect(arrivedFrom(/caller=probe-/)).toHaveLength(1);
    expect(arrivedFrom(/caller=(refused|after-probe)/)).toEqual([]);
    await expectGatewayStillUp(gateway);
    report(`30 parallel (10 POSTs) to a hung upstream over 10 connections (timeout ${timeoutMs} ms): all 504, ${ms(durations)}, ${sent.length} sent; the next refused in ${Math.round(refused.ms)} ms; one probe of 10 after the cooldown`);
  });

  it('frees the connections of a burst whose clients give up on a hung upstream, long before the timeout', async () => {
    let hanging = true;
    const memory = await startHttpUpstream((request, response) => {
      request.resume();
      if (!hanging) response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    // The default timeout: an abandoned request used to hold its connection for all of it.
    const gateway = await gatewayTowards({ memory }, { UPSTREAM_TIMEOUT_MS: '30000', UPSTREAM_CONNECTIONS: '30' });
    const giveUp = new AbortController();
    const abandoned = burst(30, (index) => timedRequest(`${gateway.url}/memory/v1/memories?caller=${index}`, { headers: gateway.headers, deadlineMs: hangDeadlineMs, signal: giveUp.signal }));
    await expect.poll(() => memory.openConnections(), { timeout: 5_000, interval: 10 }).toBe(30);
    // The clients give up (their connections close), as a client's own timeout would.
    giveUp.abort();
    const given = performance.now();
    expect(tally(await abandoned)).toEqual({ 'no head abandoned': 30 });
    await expect.poll(() => memory.openConnections(), { timeout: 5_000, interval: 10 }).toBe(0);
    const freedMs = performance.now() - given;
    expect(freedMs).toBeLessThan(5_000);
    // Nobody waited for those answers: they tell nothing about the upstream, and the circuit stays closed.
    hanging = false;
    expect(outcome(await timedRequest(`${gateway.url}/memory/v1/memories`, { headers: gateway.headers, deadlineMs: hangDeadlineMs }))).toBe('200 complete');
    await expectGatewayStillUp(gateway);
    report(`30 parallel clients giving up on a hung upstream (timeout 30 s): its 30 connections closed ${Math.round(freedMs)} ms after`);
  });

  it('bounds an answer whose body stalls: a 504 before its first byte, a cut connection after it', async () => {
    const timeoutMs = 600;
    const half = randomBytes(1024);
    const billing = await startHttpUpstream((request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(2 * half.length) });
      // The head alone, or the head and the first half of the body; the rest never comes.
      if (request.url?.startsWith('/v1/before-body')) response.flushHeaders();
      else response.write(half);
    });
    const gateway = await gatewayTowards({ billing }, { UPSTREAM_TIMEOUT_MS: String(timeoutMs) });
    const get = (path: string) => timedRequest(`${gateway.url}/billing/v1/${path}`, { headers: gateway.headers, deadlineMs: hangDeadlineMs });

    const [beforeBody, midBody] = await Promise.all([burst(15, (index) => get(`before-body?caller=${index}`)), burst(15, (index) => get(`mid-body?caller=${index}`))]);
    // Nothing was sent to the client yet: the gateway can still say what happened.
    expect(tally(beforeBody)).toEqual({ '504 GATEWAY_UPSTREAM_TIMEOUT billing': 15 });
    // The status line went out with the first half: cutting the connection is the only way left
    // to tell the client its answer is incomplete, and it got every byte that came.
    expect(tally(midBody)).toEqual({ '200 cut': 15 });
    for (const answer of midBody) expect(answer.body.equals(half)).toBe(true);
    const durations = [...beforeBody, ...midBody].map((answer) => answer.ms);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(Math.max(...durations)).toBeLessThan(timeoutMs + lateMarginMs);
    expect(billing.received).toHaveLength(30);
    await expect.poll(() => billing.openConnections(), { timeout: 5_000, interval: 20 }).toBe(0);
    await expectGatewayStillUp(gateway);
    report(`30 parallel with stalled bodies (timeout ${timeoutMs} ms): 15 × 504 and 15 cut after the first half, ${ms(durations)}`);
  });

  it('retries GETs reset before their answer within the budget, never sends a POST twice, and cuts answers reset mid-body', async () => {
    const partial = randomBytes(1000);
    const heldMidBody: Socket[] = [];
    const observability = await startTcpUpstream((socket, request) => {
      if (request.path.startsWith('/v1/reset-before')) {
        socket.resetAndDestroy();
        return;
      }
      // A length the body never reaches (GET), or chunks with no last one (POST): both incomplete.
      const head = request.method === 'GET' ? `content-length: ${partial.length * 4}\r\n\r\n` : `transfer-encoding: chunked\r\n\r\n${partial.length.toString(16)}\r\n`;
      socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n${head}`, 'latin1'), partial, Buffer.from(request.method === 'GET' ? '' : '\r\n')]));
      heldMidBody.push(socket);
    });
    // This case counts what was sent; the circuit is the hung upstream's case (it would refuse part of the burst).
    const gateway = await gatewayTowards({ observability }, { UPSTREAM_RETRIES: '2', CIRCUIT_BREAKER_FAILURES: '1000' });
    let partialsArrived = 0;
    const send = (method: 'GET' | 'POST', path: string) =>
      timedRequest(`${gateway.url}/observability/v1/${path}`, {
        method,
        headers: { ...gateway.headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { body: JSON.stringify({ line: path }) } : {}),
        deadlineMs: hangDeadlineMs,
        onBody: (bytes) => {
          if (bytes === partial.length) partialsArrived += 1;
        },
      });

    const answers = Promise.all([
      burst(10, (index) => send('GET', `reset-before?caller=${index}`)),
      burst(10, (index) => send('POST', `reset-before?caller=${index}`)),
      burst(10, (index) => send('GET', `reset-mid?caller=${index}`)),
      burst(10, (index) => send('POST', `reset-mid?caller=${index}`)),
    ]);
    // Reset once every client holds the first part: the gateway had relayed the answer's start.
    await expect.poll(() => partialsArrived, { timeout: 10_000, interval: 20 }).toBe(20);
    for (const socket of heldMidBody) socket.resetAndDestroy();
    const [getsBefore, postsBefore, getsMid, postsMid] = await answers;

    expect(tally(getsBefore)).toEqual({ '502 GATEWAY_BAD_UPSTREAM_RESPONSE observability': 10 });
    expect(tally(postsBefore)).toEqual({ '502 GATEWAY_BAD_UPSTREAM_RESPONSE observability': 10 });
    expect(tally(getsMid)).toEqual({ '200 cut': 10 });
    expect(tally(postsMid)).toEqual({ '200 cut': 10 });
    for (const answer of [...getsMid, ...postsMid]) expect(answer.body.equals(partial)).toBe(true);

    const arrived = (method: string, path: string) => observability.received.filter((request) => request.method === method && request.path.startsWith(`/v1/${path}`)).length;
    const retries = await metric(gateway, 'gateway_upstream_retries_total', { upstream: 'observability' });
    // Each retry is one more GET the upstream saw, and only GETs reset before their answer were retried.
    expect(arrived('GET', 'reset-before')).toBe(10 + retries);
    // The budget: 10 retries to start with, and a fifth of one per request (40) — not 2 × 10.
    expect(retries).toBeGreaterThanOrEqual(10);
    expect(retries).toBeLessThanOrEqual(18);
    expect(arrived('POST', 'reset-before')).toBe(10);
    expect(arrived('GET', 'reset-mid')).toBe(10);
    expect(arrived('POST', 'reset-mid')).toBe(10);
    await expectGatewayStillUp(gateway);
    report(`40 parallel against resets: 20 × 502 (GETs sent ${arrived('GET', 'reset-before')} times for 10, POSTs once each), 20 cut mid-body after their first ${partial.length} bytes`);
  });

  it('lets every request of a burst through an upstream that answers late and drips its body, whole', async () => {
    const timeoutMs = 1_500;
    // The head after 70 % of the timeout, then five chunks 30 % of it apart: the answer as a
    // whole takes nearly twice the timeout, which bounds the wait for each part, not the sum.
    const headAfterMs = 0.7 * timeoutMs;
    const chunkEveryMs = 0.3 * timeoutMs;
    const chunks = 5;
    const bodyFor = (path: string) => createHash('sha512').update(path).digest().toString('hex').repeat(160);
    const registry = await startHttpUpstream((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (chunk: Buffer) => parts.push(chunk));
      request.on('end', () => {
        const body = request.method === 'POST' ? Buffer.concat(parts) : Buffer.from(bodyFor(request.url ?? ''));
        const size = Math.ceil(body.length / chunks);
        const drip = (part: number): void => {
          if (part === chunks) {
            response.end();
            return;
          }
          response.write(body.subarray(part * size, (part + 1) * size));
          setTimeout(drip, chunkEveryMs, part + 1);
        };
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
          drip(0);
        }, headAfterMs);
      });
    });
    const gateway = await gatewayTowards({ registry }, { UPSTREAM_TIMEOUT_MS: String(timeoutMs) });
    const uploads = Array.from({ length: 10 }, () => randomBytes(64 * 1024));
    const [gets, posts] = await Promise.all([
      burst(10, (index) => timedRequest(`${gateway.url}/registry/v1/slow?caller=${index}`, { headers: gateway.headers, deadlineMs: hangDeadlineMs })),
      burst(10, (index) =>
        timedRequest(`${gateway.url}/registry/v1/echo?caller=${index}`, {
          method: 'POST',
          headers: { ...gateway.headers, 'content-type': 'application/octet-stream' },
          body: uploads[index] as Buffer,
          deadlineMs: hangDeadlineMs,
        }),
      ),
    ]);
    expect(tally([...gets, ...posts])).toEqual({ '200 complete': 20 });
    gets.forEach((answer, index) => expect(answer.body.toString('utf8')).toBe(bodyFor(`/v1/slow?caller=${index}`)));
    posts.forEach((answer, index) => expect(answer.body.equals(uploads[index] as Buffer)).toBe(true));
    const durations = [...gets, ...posts].map((answer) => answer.ms);
    // Each answer outlived one whole timeout: proof the limit was on the parts.
    expect(Math.min(...durations)).toBeGreaterThan(timeoutMs);
    expect(registry.received).toHaveLength(20);
    expect(await metric(gateway, 'gateway_upstream_requests_total', { upstream: 'registry', outcome: '2xx' })).toBe(20);
    await expectGatewayStillUp(gateway);
    report(`20 parallel to a slow upstream (head at ${headAfterMs} ms, ${chunks} chunks ${chunkEveryMs} ms apart, timeout ${timeoutMs} ms): all 200 and whole, ${ms(durations)}`);
  });

  it('keeps another upstream fast while one hangs under a burst', async () => {
    const hangTimeoutMs = 3_000;
    const memory = await startHttpUpstream(() => undefined);
    const registry = await startHttpUpstream((request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: request.url })));
    const gateway = await gatewayTowards({ memory, registry }, { UPSTREAM_TIMEOUT_MS: String(hangTimeoutMs) });
    let hungEndedAt = Number.POSITIVE_INFINITY;
    const hanging = burst(30, (index) => timedRequest(`${gateway.url}/memory/v1/memories?caller=${index}`, { headers: gateway.headers, deadlineMs: hangDeadlineMs })).then((answers) => {
      hungEndedAt = performance.now();
      return answers;
    });
    await expect.poll(() => memory.received.length, { timeout: 5_000, interval: 10 }).toBe(30);

    const healthy = await burst(30, (index) => timedRequest(`${gateway.url}/registry/v1/modules?caller=${index}`, { headers: gateway.headers, deadlineMs: hangDeadlineMs }));
    const healthyEndedAt = performance.now();
    expect(tally(healthy)).toEqual({ '200 complete': 30 });
    healthy.forEach((answer, index) => expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ path: `/v1/modules?caller=${index}` }));
    const durations = healthy.map((answer) => answer.ms);
    expect(Math.max(...durations)).toBeLessThan(hangTimeoutMs / 2);
    // The healthy burst was served while the hung one still waited, not after it.
    expect(healthyEndedAt).toBeLessThan(hungEndedAt);
    expect(tally(await hanging)).toEqual({ '504 GATEWAY_UPSTREAM_TIMEOUT memory': 30 });
    await expectGatewayStillUp(gateway);
    report(`30 parallel to a healthy upstream while 30 hang on another: all 200, ${ms(durations)}`);
  });
});
