import { afterEach, describe, expect, it } from 'vitest';
import { openSharedState, systemClock, type SharedState } from '@lift/kit';
import type { Entitlements } from '@lift/sdk';
import { buildGateway, manualClock, signedIn, startUpstream, type Received } from './helper.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';

const redisUrl = process.env.TEST_REDIS_URL;
const withoutRedis = skipUnless(redisUrl !== undefined, 'quotas shared on Redis', 'TEST_REDIS_URL');

const states: SharedState[] = [];
afterEach(async () => {
  await Promise.all(states.splice(0).map((state) => state.close()));
});

interface FakeBillingOptions {
  readonly included?: number;
  readonly used?: number;
  readonly limit?: 'hard' | 'soft';
  readonly down?: () => boolean;
  readonly searchesIncluded?: number;
}

/**
 * A local server standing in for auth's token endpoint and billing's entitlements and event
 * inbox, answering as those services do (same paths, same bodies).
 */
async function startFakeBilling(options: FakeBillingOptions = {}) {
  const delivered: Record<string, unknown>[] = [];
  /** What reached the fake as the memory service: `METHOD url body`. */
  const forwarded: string[] = [];
  const asked = { entitlements: 0 };
  const server = await startUpstream((request: Received, respond) => {
    if (options.down?.()) return respond(503, '{"code":"DOWN"}');
    if (request.url === '/v1/oauth/token') return respond(200, JSON.stringify({ access_token: 'gateway-service-token', token_type: 'Bearer', expires_in: 300 }));
    if (request.url.startsWith('/v1/entitlements/')) {
      asked.entitlements += 1;
      // Typed by the SDK's wire type: this fake cannot drift from what billing answers.
      const entitlements: Entitlements = {
        organisationId: decodeURIComponent(request.url.split('/')[3] ?? ''),
        planId: 'starter',
        periodStart: '2026-11-01T00:00:00.000Z',
        periodEnd: '2099-12-01T00:00:00.000Z',
        metrics: [
          { metric: 'api_calls', used: options.used ?? 0, included: options.included ?? 1_000, remaining: 0, limit: options.limit ?? 'hard', hardLimitReached: false },
          { metric: 'memory_searches', used: 0, included: options.searchesIncluded ?? 1, remaining: 1, limit: 'hard', hardLimitReached: false },
        ],
      };
      return respond(200, JSON.stringify(entitlements));
    }
    if (request.url === '/v1/events/usage') {
      expect(request.headers.authorization).toBe('Bearer gateway-service-token');
      delivered.push(...(JSON.parse(request.body) as { events: Record<string, unknown>[] }).events);
      return respond(200, '{"accepted":0,"duplicates":0,"deadLettered":0}');
    }
    forwarded.push(`${request.method} ${request.url} ${request.body}`);
    return respond(200, '{"ok":true}');
  });
  return { ...server, delivered, forwarded, asked };
}

function meteredEnv(billingUrl: string): Record<string, string> {
  return {
    SERVICE_CLIENT_SECRETS: 'gateway:gateway-secret-for-tests',
    AUTH_SERVICE_URL: billingUrl,
    BILLING_SERVICE_URL: billingUrl,
    MEMORY_SERVICE_URL: billingUrl,
  };
}

describe('quotas and metering', () => {
  it('admits exactly what the plan includes, then answers 402 naming the limit, and meters each admitted request once', async () => {
    const billing = await startFakeBilling({ included: 5, used: 2 });
    const gateway = await buildGateway(meteredEnv(billing.url));
    const headers = await signedIn(['memory:read'], 'tenant-q');
    const codes = [];
    for (let index = 0; index < 5; index += 1) codes.push((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode);
    expect(codes).toEqual([200, 200, 200, 402, 402]);
    const refused = await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers });
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 402, code: 'GATEWAY_QUOTA_EXCEEDED', metric: 'api_calls', included: 5, planId: 'starter' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    await expect.poll(() => billing.delivered.length, { timeout: 5_000 }).toBe(3);
    expect(billing.delivered.every((event) => event.org === 'tenant-q' && event.metric === 'api_calls' && event.quantity === 1)).toBe(true);
    expect(new Set(billing.delivered.map((event) => event.id)).size).toBe(3);
    expect(billing.delivered[0]).toMatchObject({ properties: { upstream: 'memory' } });
  });

  it('asks billing again before refusing, so an upgrade counts at once — but at most once per 2 s per organisation', async () => {
    const plan = { included: 2 };
    const billing = await startFakeBilling(plan);
    const clock = manualClock();
    const gateway = await buildGateway(meteredEnv(billing.url), { clock });
    const headers = await signedIn(['memory:read'], 'tenant-upgrade');
    const status = async () => (await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode;
    expect([await status(), await status(), await status()]).toEqual([200, 200, 402]);
    // The tenant upgrades; the gateway's cache (QUOTA_CACHE_MS) still holds the old plan.
    plan.included = 100;
    const askedBefore = billing.asked.entitlements;
    // Within 2 s of the last check a refusal does not ask again: a tenant at its limit cannot flood billing.
    expect([await status(), await status()]).toEqual([402, 402]);
    expect(billing.asked.entitlements).toBe(askedBefore);
    clock.advance(2_000);
    expect(await status()).toBe(200);
    expect(billing.asked.entitlements).toBe(askedBefore + 1);
    expect(await status()).toBe(200);
  });

  it('counts a batch search as one search per query, forwards its body unchanged, and counts nothing else under /memory/v1/search* as a search', async () => {
    const billing = await startFakeBilling({ searchesIncluded: 4 });
    const gateway = await buildGateway(meteredEnv(billing.url));
    const headers = await signedIn(['memory:read'], 'tenant-batch');
    const batch = JSON.stringify({ queries: [{ query: 'a' }, { query: 'b' }, { query: 'c' }] });
    const admitted = await gateway.inject({ method: 'POST', url: '/memory/v1/search/batch', headers: { ...headers, 'content-type': 'application/json' }, payload: batch });
    expect(admitted.statusCode).toBe(200);
    expect(billing.forwarded).toContain(`POST /v1/search/batch ${batch}`);
    // 3 used of 4: a batch of two would pass the limit, a single search does not.
    const refused = await gateway.inject({ method: 'POST', url: '/memory/v1/search/batch', headers, payload: { queries: [{ query: 'd' }, { query: 'e' }] } });
    expect(refused.statusCode).toBe(402);
    expect(refused.json()).toMatchObject({ metric: 'memory_searches', included: 4 });
    expect((await gateway.inject({ method: 'POST', url: '/memory/v1/search', headers, payload: { query: 'f' } })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'POST', url: '/memory/v1/searches-of-another-kind', headers, payload: {} })).statusCode).toBe(200);
    await expect.poll(() => billing.delivered.filter((event) => event.metric === 'memory_searches').map((event) => event.quantity), { timeout: 5_000 }).toEqual([3, 1]);
  });

  // Review of issue #13: memory's parser skips a byte-order mark, the gateway's count did not, so
  // a batch of 20 was metered (and admitted under the quota) as one search.
  it('counts a batch whose body starts with a byte-order mark by its queries too', async () => {
    const billing = await startFakeBilling({ searchesIncluded: 4 });
    const gateway = await buildGateway(meteredEnv(billing.url));
    const headers = { ...(await signedIn(['memory:read'], 'tenant-bom')), 'content-type': 'application/json' };
    const batch = (count: number) => `\uFEFF${JSON.stringify({ queries: Array.from({ length: count }, (_, index) => ({ query: `q${index}` })) })}`;
    expect((await gateway.inject({ method: 'POST', url: '/memory/v1/search/batch', headers, payload: batch(3) })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'POST', url: '/memory/v1/search/batch', headers, payload: batch(2) })).statusCode).toBe(402);
    await expect.poll(() => billing.delivered.filter((event) => event.metric === 'memory_searches').map((event) => event.quantity), { timeout: 5_000 }).toEqual([3]);
  });

  it('counts a memory search as a search and a call, and gives both back when one limit is used up', async () => {
    const billing = await startFakeBilling({ included: 10 });
    const gateway = await buildGateway(meteredEnv(billing.url));
    const headers = await signedIn(['memory:read'], 'tenant-s');
    expect((await gateway.inject({ method: 'POST', url: '/memory/v1/search', headers, payload: {} })).statusCode).toBe(200);
    const second = await gateway.inject({ method: 'POST', url: '/memory/v1/search', headers, payload: {} });
    expect(second.statusCode).toBe(402);
    expect(second.json()).toMatchObject({ metric: 'memory_searches' });
    // The refused search did not use an API call: 9 more are admitted.
    const codes = [];
    for (let index = 0; index < 10; index += 1) codes.push((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode);
    expect(codes.filter((code) => code === 200)).toHaveLength(9);
    await expect.poll(() => billing.delivered.map((event) => event.metric).sort().join(','), { timeout: 5_000 }).toBe(`${'api_calls,'.repeat(10)}memory_searches`);
  });

  it('does not limit soft-limited metrics, the platform organisation, or public routes', async () => {
    const billing = await startFakeBilling({ included: 1, limit: 'soft' });
    const gateway = await buildGateway(meteredEnv(billing.url));
    const tenant = await signedIn(['memory:read'], 'tenant-soft');
    for (let index = 0; index < 3; index += 1) expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: tenant })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: await signedIn(['memory:read'], 'platform') })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'GET', url: '/memory/health' })).statusCode).toBe(200);
    await expect.poll(() => billing.delivered.length, { timeout: 5_000 }).toBe(3);
    expect(billing.delivered.every((event) => event.org === 'tenant-soft')).toBe(true);
  });

  it('keeps serving, and keeps the events, while billing is down', async () => {
    let down = false;
    const billing = await startFakeBilling({ included: 100, down: () => down });
    const gateway = await buildGateway(meteredEnv(billing.url));
    const headers = await signedIn(['memory:read'], 'tenant-d');
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode).toBe(200);
    await expect.poll(() => billing.delivered.length, { timeout: 5_000 }).toBe(1);
    down = true;
    // Answered by the fake's 503 (it also stands in for memory), but admitted and metered.
    for (let index = 0; index < 3; index += 1) expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode).toBe(503);
    down = false;
    await expect.poll(() => billing.delivered.length, { timeout: 10_000 }).toBe(4);
  });

  // Review of issue #19: with BILLING_SERVICE_URL listing two instances, the gateway built its
  // entitlements and usage-inbox URLs from the whole list ("http://a,http://b/v1/…"): no quota, no usage.
  it('meters and enforces quotas when billing runs as several instances', async () => {
    const [first, second] = [await startFakeBilling({ included: 3 }), await startFakeBilling({ included: 3 })];
    const gateway = await buildGateway({ ...meteredEnv(first.url), BILLING_SERVICE_URL: `${first.url},${second.url}` });
    const headers = await signedIn(['memory:read'], 'tenant-two-billings');
    const codes = [];
    for (let index = 0; index < 4; index += 1) codes.push((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode);
    expect(codes).toEqual([200, 200, 200, 402]);
    await expect.poll(() => first.delivered.length + second.delivered.length, { timeout: 5_000 }).toBe(3);
  });

  it('gives the outbox EVENT_OUTBOX_CLOSE_DRAIN_MS at close to reach billing, then closes with the events kept', async () => {
    let down = false;
    const billing = await startFakeBilling({ included: 100, down: () => down });
    const gateway = await buildGateway({ ...meteredEnv(billing.url), EVENT_OUTBOX_CLOSE_DRAIN_MS: '400' });
    const headers = await signedIn(['memory:read'], 'tenant-close');
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode).toBe(200);
    await expect.poll(() => billing.delivered.length, { timeout: 5_000 }).toBe(1);
    down = true;
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode).toBe(503);
    const started = performance.now();
    await gateway.close();
    const tookMs = performance.now() - started;
    // Tried for the setting's 400 ms (not the 5 s default, nor not at all), then given up on.
    expect(tookMs).toBeGreaterThanOrEqual(350);
    expect(tookMs).toBeLessThan(3_000);
    expect(billing.delivered).toHaveLength(1);
  });

  it.skipIf(withoutRedis)('admits exactly N across two gateway replicas sharing Redis', async () => {
    const billing = await startFakeBilling({ included: 7 });
    const prefix = `lift-test-quota-${process.pid}-${Date.now()}`;
    const env = meteredEnv(billing.url);
    const first = await buildGateway(env, { state: states[states.push(await openSharedState({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `${prefix}:` }, systemClock)) - 1] });
    const second = await buildGateway(env, { state: states[states.push(await openSharedState({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `${prefix}:` }, systemClock)) - 1] });
    const headers = await signedIn(['memory:read'], 'tenant-r');
    const answers = await Promise.all(Array.from({ length: 20 }, (_unused, index) => (index % 2 === 0 ? first : second).inject({ method: 'GET', url: '/memory/v1/items', headers })));
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(7);
    expect(answers.filter((answer) => answer.statusCode === 402)).toHaveLength(13);
  });
});
