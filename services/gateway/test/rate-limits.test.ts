import { afterEach, describe, expect, it } from 'vitest';
import { openSharedState, systemClock, type SharedState } from '@lift/kit';
import { authDocument, buildGateway, signedIn, startUpstream } from './helper.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';

const redisUrl = process.env.TEST_REDIS_URL;
const withoutRedis = skipUnless(redisUrl !== undefined, 'gateway rate limits on Redis', 'TEST_REDIS_URL');

const states: SharedState[] = [];
afterEach(async () => {
  await Promise.all(states.splice(0).map((state) => state.close()));
});

async function redisState(prefix: string, url = redisUrl as string): Promise<SharedState> {
  const state = await openSharedState({ REDIS_URL: url, REDIS_KEY_PREFIX: `${prefix}:` }, systemClock);
  states.push(state);
  return state;
}

describe('rate limits', () => {
  it('answer 429 with RateLimit headers and Retry-After once an address has used its limit', async () => {
    const auth = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, RATE_LIMIT_PER_IP: '3' });
    const answers = [];
    for (let index = 0; index < 4; index += 1) answers.push(await gateway.inject({ method: 'GET', url: '/auth/health', remoteAddress: '203.0.113.9' }));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers[0]?.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '2' });
    const refused = answers[3];
    expect(refused?.json()).toMatchObject({ code: 'GATEWAY_RATE_LIMITED', scope: 'per address', limit: 3 });
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    // Another address has its own budget.
    expect((await gateway.inject({ method: 'GET', url: '/auth/health', remoteAddress: '203.0.113.10' })).statusCode).toBe(200);
    expect(auth.received).toHaveLength(4);
  });

  it('limit sign-in more tightly than other routes', async () => {
    const auth = await startUpstream(undefined, { openApi: authDocument });
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, RATE_LIMIT_CREDENTIALS_PER_IP: '2' });
    const codes = [];
    for (let index = 0; index < 3; index += 1) codes.push((await gateway.inject({ method: 'POST', url: '/auth/v1/login', payload: {}, remoteAddress: '203.0.113.9' })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
  });

  it('limit an organisation across its members, with per-route overrides', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, RATE_LIMIT_PER_ORG: '100', RATE_LIMIT_ROUTE_OVERRIDES: '/memory/v1/search:2' });
    const token = await signedIn();
    const search = async (ip: string) => (await gateway.inject({ method: 'GET', url: '/memory/v1/search?q=x', headers: token, remoteAddress: ip })).statusCode;
    expect([await search('198.51.100.1'), await search('198.51.100.2'), await search('198.51.100.3')]).toEqual([200, 200, 429]);
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers: token })).statusCode).toBe(200);
  });

  describe.skipIf(withoutRedis)('on Redis', () => {
    it('are shared by several gateway replicas', async () => {
      const prefix = `lift-test-gateway-${process.pid}-${Date.now().toString(36)}`;
      const auth = await startUpstream();
      const first = await buildGateway({ AUTH_SERVICE_URL: auth.url, RATE_LIMIT_PER_IP: '4' }, { state: await redisState(prefix) });
      const second = await buildGateway({ AUTH_SERVICE_URL: auth.url, RATE_LIMIT_PER_IP: '4' }, { state: await redisState(prefix) });
      const codes = [];
      for (const gateway of [first, second, first, second, first, second]) codes.push((await gateway.inject({ method: 'GET', url: '/auth/health', remoteAddress: '203.0.113.77' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
    });
  });

  it('fail open for ordinary traffic and closed for sign-in when the shared store is down', async () => {
    // A Redis that is not there: nothing listens on port 1.
    const broken = await openSharedState({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'lift-test-broken:' }, systemClock);
    states.push(broken);
    const auth = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, RATE_LIMIT_PER_IP: '2' }, { state: broken });
    const ordinary = [];
    for (let index = 0; index < 3; index += 1) ordinary.push((await gateway.inject({ method: 'GET', url: '/auth/health' })).statusCode);
    // Still limited, per replica, while the store is down.
    expect(ordinary).toEqual([200, 200, 429]);
    const login = await gateway.inject({ method: 'POST', url: '/auth/v1/login', payload: {} });
    expect(login.statusCode).toBe(503);
    expect(login.json().code).toBe('GATEWAY_RATE_LIMIT_UNAVAILABLE');
    expect((await gateway.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/gateway_rate_limit_store_failures_total\{[^}]*\} [1-9]/);
  });
});
