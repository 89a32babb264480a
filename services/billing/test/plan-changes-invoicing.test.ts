import { describe, expect, it } from 'vitest';
import { backends, billingAdmin, buildBilling, manualClock } from './helper.js';

const monthly = (id: string, basePriceCents: number) => ({ id, name: id, interval: 'month', basePriceCents, currency: 'usd', trialDays: 0, metrics: [] });

describe.each(backends)('a plan change mid-period on $name', ({ postgres }) => {
  it('invoices the time used on the old plan, prorated to the cent, before the new period starts', async () => {
    const clock = manualClock(Date.parse('2026-11-01T00:00:00Z'));
    const { app } = await buildBilling({ postgres, clock });
    const admin = await billingAdmin(clock);
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: monthly('basic', 3_000) });
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: monthly('plus', 9_000) });
    expect((await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: admin, payload: { planId: 'basic' } })).statusCode).toBe(200);

    // 11 days and 6 hours of November's 30 days on basic: 3000 × 11.25 / 30 = 1125 cents.
    clock.set('2026-11-12T06:00:00Z');
    const changed = await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: admin, payload: { planId: 'plus', effective: 'now' } });
    expect(changed.json()).toMatchObject({ planId: 'plus', currentPeriod: { start: '2026-11-12T06:00:00.000Z' } });
    const invoices = (await app.inject({ method: 'GET', url: '/v1/invoices/org-a', headers: admin })).json().items;
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      planId: 'basic',
      periodStart: '2026-11-01T00:00:00.000Z',
      periodEnd: '2026-11-12T06:00:00.000Z',
      lines: [{ description: 'basic (month), prorated: 11.25 of 30 days', quantity: 1, unitPriceCents: 1_125, amountCents: 1_125 }],
      totalCents: 1_125,
    });
    // The timer finds nothing more to draft for that stretch.
    expect((await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin })).json()).toEqual({ drafted: 0 });
  });

  it('invoices the last period of the old plan when a scheduled change takes effect before the timer ran', async () => {
    const clock = manualClock(Date.parse('2026-11-01T00:00:00Z'));
    const { app } = await buildBilling({ postgres, clock });
    const admin = await billingAdmin(clock);
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: monthly('basic', 3_000) });
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: monthly('plus', 9_000) });
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-b', headers: admin, payload: { planId: 'basic' } });
    clock.set('2026-11-20T00:00:00Z');
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-b', headers: admin, payload: { planId: 'plus', effective: 'period_end' } });

    // December: the first read applies the change; November on basic must still be invoiced, in full.
    clock.set('2026-12-01T00:00:05Z');
    expect((await app.inject({ method: 'GET', url: '/v1/subscriptions/org-b', headers: admin })).json()).toMatchObject({ planId: 'plus', pendingPlanId: null });
    const invoices = (await app.inject({ method: 'GET', url: '/v1/invoices/org-b', headers: admin })).json().items;
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ planId: 'basic', periodStart: '2026-11-01T00:00:00.000Z', periodEnd: '2026-12-01T00:00:00.000Z', totalCents: 3_000 });
  });
});
