import { afterEach, describe, expect, it } from 'vitest';
import { InProcessState, openSharedState, type SharedState } from '@lift/kit';
import { msUntilRoomFor, slidingWindowLimiter, type RateLimitDecision } from '../src/rate-limiter.js';
import { buildGateway, signedIn, startUpstream } from './helper.js';
import { manualClock, testEpoch, type ManualClock } from '../../../tests/support/manual-clock.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';

/**
 * Issue #10 item 16: refused requests extended the lock, and Retry-After named the end of the
 * fixed window while the weighted previous window still held the estimate over the limit — a
 * client that waited as told got another 429. Time is a manual clock; nothing sleeps.
 */
const redisUrl = process.env.TEST_REDIS_URL;
const withoutRedis = skipUnless(redisUrl !== undefined, 'Retry-After across gateway replicas on Redis', 'TEST_REDIS_URL');

const windowMs = 60_000;
const rule = { limit: 10, windowMs };

/** 50 s into a fixed window (the test epoch is on a minute): a burst now spills into the next window's weighted estimate. */
const lateInWindow = () => manualClock(testEpoch + 50_000);

const states: SharedState[] = [];
afterEach(async () => {
  await Promise.all(states.splice(0).map((state) => state.close()));
});

function limiterOn(clock: ManualClock) {
  const state = new InProcessState(clock);
  states.push(state);
  return slidingWindowLimiter(state, clock);
}

describe('Retry-After and RateLimit-Reset', () => {
  it('say when a request will really be admitted, counting the weighted previous window', async () => {
    const clock = lateInWindow();
    const limiter = limiterOn(clock);
    const burst: RateLimitDecision[] = [];
    for (let index = 0; index < 15; index += 1) burst.push(await limiter.check('ip:burst', rule));
    expect(burst.filter((decision) => decision.allowed)).toHaveLength(10);
    const refused = burst[14] as RateLimitDecision;
    // 10 admitted 50 s into the window: at the next window they weigh 10 × (1 − t/60 s), and one
    // more fits once that is 9, at t = 6 s — 16 s from now (the fixed window ends in 10 s).
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 16 });

    clock.advance((refused.resetSeconds - 1) * 1000);
    expect((await limiter.check('ip:burst', rule)).allowed).toBe(false);
    clock.advance(1000);
    expect((await limiter.check('ip:burst', rule)).allowed).toBe(true);
  });

  it('do not move when refused requests keep coming: they are not counted', async () => {
    const clock = lateInWindow();
    const limiter = limiterOn(clock);
    for (let index = 0; index < 10; index += 1) await limiter.check('ip:hammer', rule);
    const announced = (await limiter.check('ip:hammer', rule)).resetSeconds;
    const deadline = clock.now() + announced * 1000;
    // A client that ignores the answer and retries every 100 ms until then.
    while (clock.now() + 100 < deadline) {
      clock.advance(100);
      const decision = await limiter.check('ip:hammer', rule);
      expect(decision.allowed).toBe(false);
      expect(clock.now() + decision.resetSeconds * 1000).toBeLessThanOrEqual(deadline + 999);
    }
    clock.advance(deadline - clock.now());
    expect((await limiter.check('ip:hammer', rule)).allowed).toBe(true);
  });

  it('give an admitted request back when a later limit refuses it', async () => {
    const clock = lateInWindow();
    const limiter = limiterOn(clock);
    const decisions = [];
    for (let index = 0; index < 10; index += 1) decisions.push(await limiter.check('ip:release', rule));
    await decisions[9]?.release();
    expect((await limiter.check('ip:release', rule)).allowed).toBe(true);
    expect((await limiter.check('ip:release', rule)).allowed).toBe(false);
  });

  it.each([
    // previous, current, elapsed → ms until one more fits under 10 per minute
    [0, 9, 30_000, 0],
    [0, 10, 50_000, 16_000],
    [10, 0, 0, 6_000],
    [20, 0, 30_000, 3_000],
    [20, 10, 30_000, 36_000],
  ])('with %i before and %i now, %i ms into the window, one more fits after %i ms', (previous, current, elapsedMs, expected) => {
    expect(msUntilRoomFor(1, { previous, current, elapsedMs, windowMs }, 10)).toBe(expected);
  });

  it('let a client that waits as told through the gateway on its first retry', async () => {
    const clock = lateInWindow();
    const auth = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, RATE_LIMIT_PER_IP: '5' }, { clock });
    const probe = () => gateway.inject({ method: 'GET', url: '/auth/health', remoteAddress: '203.0.113.20' });
    const burst = [];
    for (let index = 0; index < 8; index += 1) burst.push(await probe());
    expect(burst.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = burst[7];
    const retryAfter = Number(refused?.headers['retry-after']);
    expect(refused?.headers['ratelimit-reset']).toBe(String(retryAfter));
    expect(retryAfter).toBeGreaterThan(10);
    clock.advance(retryAfter * 1000);
    expect((await probe()).statusCode).toBe(200);
  });

  it('do not count a request the organisation limit refused against the address', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, RATE_LIMIT_PER_IP: '3', RATE_LIMIT_PER_ORG: '2' }, { clock: lateInWindow() });
    const get = async (organisation: string) => (await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers: await signedIn(['memory:read'], organisation), remoteAddress: '203.0.113.30' })).json();
    for (let index = 0; index < 2; index += 1) expect(await get('tenant-busy')).toEqual({ ok: true });
    for (let index = 0; index < 5; index += 1) expect(await get('tenant-busy')).toMatchObject({ code: 'GATEWAY_RATE_LIMITED', scope: 'organisation' });
    // The address has had 2 requests admitted, not 7: a member of another organisation behind it gets through.
    expect(await get('tenant-quiet')).toEqual({ ok: true });
  });

  describe.skipIf(withoutRedis)('on Redis', () => {
    it('hold for every replica sharing the store: refused requests on either do not count', async () => {
      const prefix = `lift-test-retry-after-${process.pid}-${Date.now().toString(36)}:`;
      const replicas = [];
      const clock = lateInWindow();
      for (let index = 0; index < 2; index += 1) {
        const state = await openSharedState({ REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: prefix }, clock);
        states.push(state);
        replicas.push(slidingWindowLimiter(state, clock));
      }
      const [first, second] = replicas as [ReturnType<typeof slidingWindowLimiter>, ReturnType<typeof slidingWindowLimiter>];
      const burst = [];
      for (let index = 0; index < 14; index += 1) burst.push(await (index % 2 === 0 ? first : second).check('ip:shared', rule));
      expect(burst.filter((decision) => decision.allowed)).toHaveLength(10);
      const retryAfter = (burst[13] as RateLimitDecision).resetSeconds;
      expect(retryAfter).toBe(16);
      for (let index = 0; index < 20; index += 1) expect((await second.check('ip:shared', rule)).allowed).toBe(false);
      clock.advance(retryAfter * 1000);
      expect((await first.check('ip:shared', rule)).allowed).toBe(true);
      expect((await second.check('ip:shared', rule)).allowed).toBe(false);
    });
  });
});
