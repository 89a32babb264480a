import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { testSchemaName } from '../support/test-schema.js';
import { bearerFor, testAccessToken } from '../support/test-token.js';
import { skipUnless } from '../support/skip-rule.js';
import { sendJson, startStandIn, type StandIn } from '../support/stand-in-server.js';

const redisUrl = process.env.TEST_REDIS_URL;
const withoutRedis = skipUnless(redisUrl !== undefined, 'rate limits shared by two gateway processes', 'TEST_REDIS_URL');

const secret = 'the edge suite signs its own HS256 tokens here';

describe('the gateway process at the edge', () => {
  let upstream: StandIn;
  // What the gateway forwarded: the document it reads for itself is not a forwarded request.
  const seen = () => upstream.received.filter((request) => request.url !== '/openapi.json').map((request) => request.headers);
  const gateways: ServiceProcess[] = [];

  beforeAll(async () => {
    upstream = await startStandIn((request, response) =>
      // The gateway reads which routes are public from the service's document (none, here).
      request.url === '/openapi.json' ? sendJson(response, 200, { openapi: '3.1.0', info: { title: 'memory', version: '1' }, paths: {} }) : sendJson(response, 200, { ok: true }),
    );
    const env: Record<string, string> = {
      JWT_ALGORITHM: 'HS256',
      JWT_SECRET: secret,
      MEMORY_SERVICE_URL: upstream.url,
      RATE_LIMIT_PER_IP: '6',
      ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `${testSchemaName('edge')}:` } : {}),
    };
    for (let index = 0; index < 2; index += 1) gateways.push(startServiceProcess({ name: 'gateway', port: await freePort(), env }));
    await Promise.all(gateways.map((gateway) => waitUntilReady(gateway)));
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
  });

  const url = (index: number) => `${gateways[index]?.url}/memory/v1/items`;

  it('refuses a missing, expired or tampered token with 401 problem+json', async () => {
    const valid = await testAccessToken({ secret, organisation: 'tenant-e', permissions: [], atMs: Date.now() });
    const expired = await testAccessToken({ secret, organisation: 'tenant-e', permissions: [], atMs: Date.now() - 3_600_000, lifetimeSeconds: 60 });
    const [header, payload, signature] = valid.split('.');
    const tampered = `${header}.${payload}.${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;
    for (const authorization of [undefined, `Bearer ${expired}`, `Bearer ${tampered}`]) {
      const answer = await fetch(url(0), { headers: authorization ? { authorization } : {} });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(seen()).toHaveLength(0);
  });

  it('drops forged x-lift-* headers and asserts the token\'s identity instead', async () => {
    const headers = await bearerFor({ secret, organisation: 'tenant-real', permissions: [], subject: 'user-real', roles: ['member'], atMs: Date.now() });
    const answer = await fetch(url(0), { headers: { ...headers, 'x-lift-org': 'platform', 'x-lift-user': 'admin', 'x-lift-roles': 'owner' } });
    expect(answer.status).toBe(200);
    expect(seen().at(-1)).toMatchObject({ 'x-lift-org': 'tenant-real', 'x-lift-user': 'user-real', 'x-lift-roles': 'member' });
  });

  it.skipIf(withoutRedis)('shares one rate limit between two gateway processes on one Redis, answering 429 with the headers', async () => {
    const headers = await bearerFor({ secret, organisation: 'tenant-limit', permissions: [], atMs: Date.now() });
    // Earlier tests in this suite used some of this address's six; the two processes count together.
    const answers = [];
    for (let index = 0; index < 8; index += 1) answers.push(await fetch(url(index % 2), { headers }));
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200).length + refused.length).toBe(8);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    const first = refused[0];
    expect(first?.headers.get('ratelimit-limit')).toBe('6');
    expect(first?.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(first?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await first?.json()).toMatchObject({ code: 'GATEWAY_RATE_LIMITED' });
    // Both processes refuse once the shared limit is used up.
    expect(new Set(answers.map((answer, index) => (answer.status === 429 ? index % 2 : -1)).filter((gateway) => gateway >= 0)).size).toBe(2);
  });
});
