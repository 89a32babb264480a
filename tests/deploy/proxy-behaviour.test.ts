import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { scratchDirectories } from '../support/scratch-directories.js';
import { skipUnless } from '../support/skip-rule.js';
import { nginxTestConfig } from './nginx-test-config.js';

const has = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
const skip = skipUnless(has('nginx', ['-v']) && has('openssl', ['version']), 'the reverse proxy run in front of a stand-in gateway', 'nginx (Debian package nginx) and openssl');
const scratch = scratchDirectories();

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
}

/** One request to the proxy; TLS with the test's self-signed certificate. */
function ask(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(target, { headers, rejectUnauthorized: false }, (answer) => {
      answer.resume();
      answer.once('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers }));
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

async function untilListening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const listening = await ask(`http://127.0.0.1:${port}/nginx-health`).then(() => true, () => false);
    if (listening) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`nginx did not listen on ${port}`);
}

/**
 * The production proxy (configs/gateway/nginx.conf) run by this machine's nginx in front of a
 * stand-in gateway that records what reaches it: what a client can and cannot make the gateway
 * believe, and what the proxy keeps to itself.
 */
describe.skipIf(skip)('the production proxy in front of the gateway', () => {
  const seen: IncomingHttpHeaders[] = [];
  const paths: string[] = [];
  let gateway: Server;
  let nginx: ChildProcess;
  let http = 0;
  let https = 0;

  beforeAll(async () => {
    gateway = createServer((request, response) => {
      seen.push(request.headers);
      paths.push(request.url ?? '');
      response.end('{}');
    });
    await new Promise<void>((done) => gateway.listen(0, '127.0.0.1', done));
    const address = gateway.address();
    const gatewayPort = typeof address === 'object' && address !== null ? address.port : 0;
    http = await freePort();
    https = await freePort();
    const dir = scratch('lift-proxy-');
    const config = nginxTestConfig(dir, { http, https, gateway: `127.0.0.1:${gatewayPort}` });
    nginx = spawn('nginx', ['-p', dir, '-c', config, '-g', 'daemon off;'], { stdio: 'ignore' });
    await untilListening(http);
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await new Promise<void>((done) => (gateway ? gateway.close(() => done()) : done()));
  });

  it('replaces a client\'s X-Forwarded-For with the address it saw, and says the request came over HTTPS', async () => {
    const answer = await ask(`https://127.0.0.1:${https}/auth/v1/login`, { host: 'lift.example.com', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'http' });
    expect(answer.status).toBe(200);
    const headers = seen.at(-1) ?? {};
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('https');
    expect(headers.host).toBe('lift.example.com');
  });

  it('answers /metrics itself with 404: the gateway\'s figures are for Prometheus, not the internet', async () => {
    const before = paths.length;
    expect((await ask(`https://127.0.0.1:${https}/metrics`)).status).toBe(404);
    expect(paths.length).toBe(before);
  });

  it('redirects plain HTTP to HTTPS with 308 and answers its own healthcheck without the gateway', async () => {
    const redirected = await ask(`http://127.0.0.1:${http}/memory/v1/items?q=1`, { host: 'lift.example.com' });
    expect(redirected.status).toBe(308);
    expect(redirected.headers.location).toBe('https://lift.example.com/memory/v1/items?q=1');
    const before = paths.length;
    expect((await ask(`http://127.0.0.1:${http}/nginx-health`)).status).toBe(200);
    expect(paths.length).toBe(before);
  });
});
