import { describe, expect, it } from 'vitest';
import { backends, billingAdmin, buildBilling, manualClock, platformService, tokenFor } from './helper.js';

describe.each(backends)('analytics on $name', ({ postgres }) => {
  it('give daily usage per metric, empty days as zero', async () => {
    const clock = manualClock(Date.parse('2026-11-01T00:00:00Z'));
    const { app } = await buildBilling({ postgres, clock });
    const service = await platformService(clock);
    await app.inject({ method: 'GET', url: '/v1/entitlements/org-a', headers: service });
    clock.set('2026-11-05T00:00:00Z');
    const events = [
      { id: 'e1', org: 'org-a', metric: 'memory_searches', quantity: 3, timestamp: '2026-11-02T23:59:59Z' },
      { id: 'e2', org: 'org-a', metric: 'memory_searches', quantity: 4, timestamp: '2026-11-02T00:00:00Z' },
      { id: 'e3', org: 'org-a', metric: 'memory_searches', quantity: 5, timestamp: '2026-11-04T10:00:00Z' },
      { id: 'e4', org: 'org-a', metric: 'api_calls', quantity: 100, timestamp: '2026-11-04T10:00:00Z' },
    ];
    expect((await app.inject({ method: 'POST', url: '/v1/usage/batch', headers: service, payload: { events } })).statusCode).toBe(200);
    const owner = await tokenFor('org-a', ['billing:read'], { clock });
    const response = await app.inject({ method: 'GET', url: '/v1/analytics/usage/org-a?metric=memory_searches&from=2026-11-01T00:00:00Z&to=2026-11-05T00:00:00Z', headers: owner });
    expect(response.json().points).toEqual([
      { day: '2026-11-01', value: 0 },
      { day: '2026-11-02', value: 7 },
      { day: '2026-11-03', value: 0 },
      { day: '2026-11-04', value: 5 },
    ]);
    const backwards = await app.inject({ method: 'GET', url: '/v1/analytics/usage/org-a?metric=api_calls&from=2026-11-05T00:00:00Z&to=2026-11-01T00:00:00Z', headers: owner });
    expect(backwards.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/analytics/usage/org-a?metric=api_calls&from=2026-11-01T00:00:00Z&to=2026-11-05T00:00:00Z', headers: await tokenFor('org-m', ['billing:read'], { clock }) })).statusCode).toBe(404);
  });

  it('give billing admins MRR by currency and the plan mix', async () => {
    const clock = manualClock();
    const { app } = await buildBilling({ postgres, clock });
    const admin = await billingAdmin(clock);
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: { id: 'team', name: 'Team', interval: 'month', basePriceCents: 1_999, currency: 'eur', trialDays: 0, metrics: [] } });
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: admin, payload: { planId: 'team' } });
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-b', headers: admin, payload: { planId: 'team' } });
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-c', headers: admin, payload: { planId: 'enterprise' } });
    await app.inject({ method: 'GET', url: '/v1/subscriptions/org-d', headers: admin });
    clock.advance(31 * 86_400_000);
    const revenue = (await app.inject({ method: 'GET', url: '/v1/analytics/revenue', headers: admin })).json();
    expect(revenue).toEqual({
      mrrCents: [
        { currency: 'eur', cents: 3_998 },
        { currency: 'usd', cents: 100_000 },
      ],
      planMix: [
        { planId: 'enterprise', organisations: 1 },
        { planId: 'free', organisations: 1 },
        { planId: 'team', organisations: 2 },
      ],
    });
    expect((await app.inject({ method: 'GET', url: '/v1/analytics/revenue', headers: await tokenFor('org-a', ['billing:read']) })).statusCode).toBe(403);
  });
});
