import { describe, expect, it } from 'vitest';
import { backends, buildBilling, manualClock, platformService } from './helper.js';

const dayMs = 86_400_000;

describe.each(backends)('level metrics (memory_items) on $name', ({ postgres }) => {
  it('count the highest level reported in the period, not the sum, and carry the last level into the next period', async () => {
    const clock = manualClock();
    const { app } = await buildBilling({ postgres, clock });
    const headers = await platformService(clock);
    const at = (offsetMs: number) => new Date(clock.now() + offsetMs).toISOString();
    const used = async (metric: string) => (await app.inject({ method: 'GET', url: '/v1/entitlements/org-a', headers })).json().metrics.find((entry: { metric: string }) => entry.metric === metric).used;

    const levels = [5, 12, 7];
    const response = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events: levels.map((quantity, index) => ({ id: `level-${index}`, org: 'org-a', metric: 'memory_items', quantity, timestamp: at(-1_000 + index) })) } });
    expect(response.statusCode).toBe(200);
    // A flow in the same period is still summed.
    await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events: [1, 2].map((quantity, index) => ({ id: `search-${index}`, org: 'org-a', metric: 'memory_searches', quantity, timestamp: at(-500) })) } });
    expect(await used('memory_items')).toBe(12);
    expect(await used('memory_searches')).toBe(3);

    // Next period, nothing reported yet: the 7 memories still stored are what is used.
    clock.advance(40 * dayMs);
    expect(await used('memory_items')).toBe(7);
    expect(await used('memory_searches')).toBe(0);
    await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events: [{ id: 'level-later', org: 'org-a', metric: 'memory_items', quantity: 3, timestamp: at(0) }] } });
    expect(await used('memory_items')).toBe(7);
  });

  it('lets a plan declare a metric\'s aggregation, and refuses one it does not know', async () => {
    const { app } = await buildBilling({ postgres });
    const { billingAdmin } = await import('./helper.js');
    const headers = await billingAdmin();
    const plan = { id: 'seats', name: 'Seats', interval: 'month', basePriceCents: 0, currency: 'usd', metrics: [{ metric: 'seats', included: 5, limit: 'soft', aggregation: 'max', overage: { unitPriceCents: 100 } }] };
    expect((await app.inject({ method: 'POST', url: '/v1/plans', headers, payload: plan })).statusCode).toBe(201);
    const refused = await app.inject({ method: 'POST', url: '/v1/plans', headers, payload: { ...plan, id: 'seats-two', metrics: [{ ...plan.metrics[0], aggregation: 'median' }] } });
    expect(refused.statusCode).toBe(400);
  });
});
