import { describe, expect, it } from 'vitest';
import { openSharedState, systemClock } from '../src/index.js';
import { privateRedisAvailable, startPrivateRedis } from '../../../tests/support/private-redis.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';
import { closeWhenDone } from './helper.js';

const noRedis = skipUnless(privateRedisAvailable, 'the shared state through a Redis outage', 'redis-server');

// Regression (#21, Redis stopped under traffic): while Redis was down every command waited out
// the client's reconnect attempts before failing, several per request, so requests hung for tens
// of seconds instead of falling back (the per-replica rate limiter, the local event outbox).
describe.skipIf(noRedis)('the Redis shared state through an outage', () => {
  it('fails commands at once while Redis is down, and works again when it is back', async () => {
    const redis = await startPrivateRedis();
    closeWhenDone(async () => redis.remove());
    const state = await openSharedState({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'outage:' }, systemClock);
    closeWhenDone(() => state.close());
    expect((await state.increment('requests', 1, 60_000)).value).toBe(1);

    redis.stop();
    // The client notices the closed connection first; then each command fails fast.
    await expect.poll(async () => state.increment('requests', 1, 60_000).then(() => 'answered', () => 'failed'), { timeout: 5_000, interval: 20 }).toBe('failed');
    const started = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => state.increment('requests', 1, 60_000)));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(performance.now() - started).toBeLessThan(250);

    redis.start();
    await expect.poll(async () => state.increment('requests', 1, 60_000).then(() => 'answered', () => 'failed'), { timeout: 15_000, interval: 50 }).toBe('answered');
  });
});
