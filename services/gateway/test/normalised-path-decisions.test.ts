import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { rawRequest } from '../../../tests/support/raw-request.js';
import { authDocument, buildGateway, serviceDocument, signedIn, startUpstream } from './helper.js';

/**
 * Regression for issue #10 item 2: the gateway decided on the raw path while the services decode
 * it. Requests go over a real socket, since app.inject (like fetch) resolves dot segments and
 * backslashes before anything is sent.
 */
async function edge(env: Record<string, string> = {}) {
  const auth = await startUpstream(undefined, { openApi: authDocument });
  const billing = await startUpstream(undefined, { openApi: serviceDocument([], ['GET /v1/plans']) });
  const memory = await startUpstream(undefined, { openApi: serviceDocument([], ['GET /v1/memories']) });
  // Nothing listens on port 9: the services this suite does not use are simply unreachable.
  const unused = 'http://127.0.0.1:9';
  const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, BILLING_SERVICE_URL: billing.url, MEMORY_SERVICE_URL: memory.url, REGISTRY_SERVICE_URL: unused, OBSERVABILITY_SERVICE_URL: unused, ...env });
  await gateway.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
  const send = (method: string, path: string, headers: Record<string, string> = {}) =>
    rawRequest(origin, { method, path, headers: method === 'POST' ? { 'content-type': 'application/json', ...headers } : headers, ...(method === 'POST' ? { body: '{}' } : {}) });
  return { auth, billing, memory, send };
}

describe('the edge decides on the normalised path, and forwards that path', () => {
  it('counts an encoded or dotted sign-in path against the sign-in limit, like /auth/v1/login', async () => {
    const { auth, send } = await edge({ RATE_LIMIT_CREDENTIALS_PER_IP: '3' });
    const answers = [];
    for (const path of ['/auth/v1/login', '/auth/v1/%6cogin', '/auth//v1/./%6Cogin', '/auth/v1/x/../login']) answers.push(await send('POST', path));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(JSON.parse(answers[3]?.body ?? '{}')).toMatchObject({ code: 'GATEWAY_RATE_LIMITED', scope: 'sign-in per address', limit: 3 });
    expect(auth.received.map((request) => request.url)).toEqual(['/v1/login', '/v1/login', '/v1/login']);
  });

  it('does not make /billing/docs/../v1/plans public: it is /billing/v1/plans', async () => {
    const { billing, send } = await edge();
    for (const path of ['/billing/docs/../v1/plans', '/billing/docs/%2e%2e/v1/plans', '/billing/health/../v1/plans']) {
      const answer = await send('GET', path);
      expect(answer.status, path).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'AUTH_TOKEN_MISSING' });
    }
    expect(billing.received).toHaveLength(0);
    expect((await send('GET', '/billing/docs/../v1/plans', await signedIn())).status).toBe(200);
    expect(billing.received.map((request) => request.url)).toEqual(['/v1/plans']);
  });

  it.each([
    ['/memory/v1/%6demories', '/v1/memories'],
    ['/memory//v1/./items/../memories', '/v1/memories'],
    ['//memory/v1/memories', '/v1/memories'],
    ['/auth/../memory/v1/memories', '/v1/memories'],
    ['/%6demory/v1/memories', '/v1/memories'],
    ['/memory/v1/memories/a%c3%a9%20b', '/v1/memories/a%C3%A9%20b'],
    // The query is the client's, untouched.
    ['/memory/v1/memories?q=a%2Fb&x=..%2f', '/v1/memories?q=a%2Fb&x=..%2f'],
  ])('forwards %s to memory as %s', async (path, forwarded) => {
    const { memory, send } = await edge();
    expect((await send('GET', path, await signedIn())).status).toBe(200);
    expect(memory.received.map((request) => request.url)).toEqual([forwarded]);
  });

  it.each([
    ['/memory/v1/a%2Fb', 'encoded-slash'],
    ['/memory/v1/a%2fb', 'encoded-slash'],
    ['/memory/v1/a%5Cb', 'backslash'],
    ['/memory/v1/a\\b', 'backslash'],
    ['/memory/v1/a%00b', 'control-character'],
    ['/memory/v1/a%0ab', 'control-character'],
    ['/memory/v1/memories;jsessionid=1', 'path-parameter'],
    ['/auth/v1/login#x', 'fragment'],
    ['/memory/../../v1/memories', 'above-root'],
  ])('refuses %s with 400 naming the problem (%s), before any limit or upstream', async (path, reason) => {
    const { auth, memory, send } = await edge();
    const answer = await send('POST', path, await signedIn());
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'GATEWAY_AMBIGUOUS_PATH', reason, detail: expect.any(String) });
    expect([...auth.received, ...memory.received]).toHaveLength(0);
  });

  it('refuses a malformed escape with 400 (the router cannot decode it) and forwards nothing', async () => {
    const { memory, send } = await edge();
    expect((await send('GET', '/memory/v1/%zz', await signedIn())).status).toBe(400);
    expect(memory.received).toHaveLength(0);
  });

  it('keeps paths case-sensitive, as the services are: /AUTH/v1/login and /auth/v1/LOGIN bypass nothing', async () => {
    const { auth, send } = await edge({ RATE_LIMIT_CREDENTIALS_PER_IP: '1' });
    const upper = await send('POST', '/AUTH/v1/login');
    expect(upper.status).toBe(404);
    expect(JSON.parse(upper.body)).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    // Not auth's public /v1/login: it needs a token, and auth (case-sensitive) has no such route.
    const shouted = await send('POST', '/auth/v1/LOGIN');
    expect(shouted.status).toBe(401);
    expect(auth.received).toHaveLength(0);
  });
});
