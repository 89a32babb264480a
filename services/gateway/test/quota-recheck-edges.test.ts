import { describe, expect, it } from 'vitest';
import type { Entitlements } from '@lift/sdk';
import { buildGateway, manualClock, signedIn, startUpstream, type Received } from './helper.js';

/** A fake auth + billing + memory whose entitlements answer the test can change at any time. */
async function startBilling(state: { included: number; searchesIncluded?: number; periodStart: string; periodEnd: string; down?: boolean }) {
  const asked = { entitlements: 0 };
  const server = await startUpstream((request: Received, respond) => {
    if (request.url === '/v1/oauth/token') return respond(200, JSON.stringify({ access_token: 'gateway-service-token', token_type: 'Bearer', expires_in: 3600 }));
    if (request.url.startsWith('/v1/entitlements/')) {
      asked.entitlements += 1;
      if (state.down) return respond(503, '{"code":"DOWN"}');
      const entitlements: Entitlements = {
        organisationId: decodeURIComponent(request.url.split('/')[3] ?? ''),
        planId: 'starter',
        periodStart: state.periodStart,
        periodEnd: state.periodEnd,
        metrics: [
          { metric: 'api_calls', used: 0, included: state.included, remaining: 0, limit: 'hard', hardLimitReached: false },
          { metric: 'memory_searches', used: 0, included: state.searchesIncluded ?? 1_000, remaining: 0, limit: 'hard', hardLimitReached: false },
        ],
      };
      return respond(200, JSON.stringify(entitlements));
    }
    if (request.url === '/v1/events/usage') return respond(200, '{"accepted":0,"duplicates":0,"deadLettered":0}');
    return respond(200, '{"ok":true}');
  });
  return { ...server, asked };
}

const env = (url: string) => ({ SERVICE_CLIENT_SECRETS: 'gateway:gateway-secret-for-tests', AUTH_SERVICE_URL: url, BILLING_SERVICE_URL: url, MEMORY_SERVICE_URL: url });

describe('the quota recheck at its edges (review of #21)', () => {
  it('a burst of 50 parallel refused requests asks billing at most once per 2 s', async () => {
    const clock = manualClock(Date.now());
    const billing = await startBilling({ included: 2, periodStart: '2026-11-01T00:00:00.000Z', periodEnd: '2099-12-01T00:00:00.000Z' });
    const gateway = await buildGateway(env(billing.url), { clock });
    const headers = await signedIn(['memory:read'], 'tenant-burst');
    const get = () => gateway.inject({ method: 'GET', url: '/memory/v1/items', headers });
    expect([(await get()).statusCode, (await get()).statusCode]).toEqual([200, 200]);
    clock.advance(2_000);
    const before = billing.asked.entitlements;
    const codes = (await Promise.all(Array.from({ length: 50 }, get))).map((answer) => answer.statusCode);
    expect(codes.every((code) => code === 402)).toBe(true);
    expect(billing.asked.entitlements - before).toBeLessThanOrEqual(1);
  });

  it('a search refused on memory_searches, then admitted after an upgrade, counts api_calls exactly once', async () => {
    const clock = manualClock(Date.now());
    const state = { included: 3, searchesIncluded: 1, periodStart: '2026-11-01T00:00:00.000Z', periodEnd: '2099-12-01T00:00:00.000Z' };
    const billing = await startBilling(state);
    const gateway = await buildGateway(env(billing.url), { clock });
    const headers = await signedIn(['memory:read'], 'tenant-two-metrics');
    const search = async () => (await gateway.inject({ method: 'POST', url: '/memory/v1/search', headers, payload: {} })).statusCode;
    const call = async () => (await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode;
    expect(await search()).toBe(200); // api_calls 1/3, searches 1/1
    expect(await search()).toBe(402); // refused on searches, api_calls given back
    state.searchesIncluded = 10;
    clock.advance(2_000);
    expect(await search()).toBe(200); // recheck: api_calls 2/3, searches 2/10
    expect([await call(), await call()]).toEqual([200, 402]); // exactly one more api call
  });

  // Review of #21: at a period boundary while billing was down the gateway kept the ended period's
  // entitlements, refused the tenant (402 with Retry-After: 1) although the docs say a billing
  // outage admits, and asked billing on every single request (no 2 s bound on this path).
  it('at a period boundary with billing down: admits (fail open) and does not ask billing on every request', async () => {
    const clock = manualClock(Date.now());
    const periodEnd = new Date(clock.now() + 60_000).toISOString();
    const state = { included: 2, periodStart: new Date(clock.now() - 60_000).toISOString(), periodEnd, down: false };
    const billing = await startBilling(state);
    const gateway = await buildGateway(env(billing.url), { clock });
    const headers = await signedIn(['memory:read'], 'tenant-rollover');
    const get = async () => (await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode;
    expect([await get(), await get(), await get()]).toEqual([200, 200, 402]);
    state.down = true;
    clock.advance(61_000); // the period has ended; a new one began with nothing used
    const before = billing.asked.entitlements;
    const codes = [];
    for (let index = 0; index < 10; index += 1) codes.push(await get());
    const asked = billing.asked.entitlements - before;
    expect({ codes, asked }).toEqual({ codes: Array(10).fill(200), asked: 1 });
  });

  // Review of #21: billing's clock a little behind the gateway's (or billing lazily rolling) answers the
  // ended period again: every request then waited for a billing call, unbounded by the 2 s rule.
  it('does not call billing on every request when billing still answers the period the gateway thinks has ended', async () => {
    const clock = manualClock(Date.now());
    const state = { included: 1_000, periodStart: new Date(clock.now() - 60_000).toISOString(), periodEnd: new Date(clock.now() + 1_000).toISOString() };
    const billing = await startBilling(state);
    const gateway = await buildGateway(env(billing.url), { clock });
    const headers = await signedIn(['memory:read'], 'tenant-skew');
    const get = async () => (await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode;
    expect(await get()).toBe(200);
    clock.advance(1_500); // the gateway's clock is past periodEnd; billing (500 ms behind) still answers the old period
    const before = billing.asked.entitlements;
    for (let index = 0; index < 20; index += 1) expect(await get()).toBe(200);
    expect(billing.asked.entitlements - before).toBeLessThanOrEqual(1);
  });
});
