import { describe, expect, it } from 'vitest';
import { openSharedState } from '@lift/kit';
import { manualClock, startGateway, startUpstream } from './helper.js';

describe('a failing rate-limit store', () => {
  it('is warned about at most once per 10 s of the gateway\'s own clock, however many requests fall back', async () => {
    const clock = manualClock();
    // A Redis that is not there: nothing listens on port 1.
    const broken = await openSharedState({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'lift-test-broken:' }, clock);
    const auth = await startUpstream();
    const { app, logs } = await startGateway({ AUTH_SERVICE_URL: auth.url }, { state: broken, clock, logLevel: 'warn' });
    const warnings = () => logs.filter((line) => line.msg === 'the rate-limit store failed; limiting per replica until it is back').length;
    for (let index = 0; index < 3; index += 1) expect((await app.inject({ method: 'GET', url: '/auth/health' })).statusCode).toBe(200);
    expect(warnings()).toBe(1);
    clock.advance(10_000);
    await app.inject({ method: 'GET', url: '/auth/health' });
    expect(warnings()).toBe(1);
    clock.advance(1);
    await app.inject({ method: 'GET', url: '/auth/health' });
    expect(warnings()).toBe(2);
  });
});
