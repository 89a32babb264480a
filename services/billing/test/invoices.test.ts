import { describe, expect, it } from 'vitest';
import { backends, billingAdmin, buildBilling, manualClock, platformService, tokenFor } from './helper.js';

const team = {
  id: 'team',
  name: 'Team',
  interval: 'month',
  basePriceCents: 1_999,
  currency: 'eur',
  trialDays: 0,
  metrics: [{ metric: 'api_calls', included: 100, limit: 'soft', overage: { unitPriceCents: 3 } }],
};

describe.each(backends)('invoices on $name', ({ postgres }) => {
  it('are drafted for each ended period with its usage, once, and numbered without gaps when finalized', async () => {
    const clock = manualClock(Date.parse('2027-01-31T10:00:00Z'));
    const { app } = await buildBilling({ postgres, clock });
    const admin = await billingAdmin(clock);
    const service = await platformService(clock);
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: team });
    for (const org of ['org-a', 'org-b']) await app.inject({ method: 'PATCH', url: `/v1/subscriptions/${org}`, headers: admin, payload: { planId: 'team' } });
    const usage = (org: string, count: number, day: string) => Array.from({ length: count }, (_, index) => ({ id: `${org}-${day}-${index}`, org, metric: 'api_calls', quantity: 1, timestamp: `${day}T12:00:00Z` }));
    clock.set('2027-02-10T00:00:00Z');
    await app.inject({ method: 'POST', url: '/v1/usage/batch', headers: service, payload: { events: [...usage('org-a', 130, '2027-02-09'), ...usage('org-b', 20, '2027-02-09')] } });

    expect((await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin })).json()).toEqual({ drafted: 0 });
    clock.set('2027-02-28T10:00:00Z');
    expect((await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin })).json()).toEqual({ drafted: 2 });
    expect((await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin })).json()).toEqual({ drafted: 0 });

    const [invoice] = (await app.inject({ method: 'GET', url: '/v1/invoices/org-a', headers: admin })).json().items;
    expect(invoice).toMatchObject({
      status: 'draft',
      number: null,
      periodStart: '2027-01-31T10:00:00.000Z',
      periodEnd: '2027-02-28T10:00:00.000Z',
      currency: 'eur',
      lines: [
        { description: 'Team (month)', metric: null, quantity: 1, unitPriceCents: 1_999, amountCents: 1_999 },
        { description: 'api_calls over 100 included', metric: 'api_calls', quantity: 30, unitPriceCents: 3, amountCents: 90 },
      ],
      subtotalCents: 2_089,
      totalCents: 2_089,
    });
    const other = (await app.inject({ method: 'GET', url: '/v1/invoices/org-b', headers: admin })).json().items[0];

    // Finalize both at once: two numbers, consecutive, no duplicates.
    const [first, second] = await Promise.all([
      app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/finalize`, headers: admin }),
      app.inject({ method: 'POST', url: `/v1/invoices/org-b/${other.id}/finalize`, headers: admin }),
    ]);
    expect([first.json().number, second.json().number].sort()).toEqual([1, 2]);
    const again = await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/finalize`, headers: admin });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'BILLING_INVOICE_STATE', invoiceStatus: 'open' });
    expect((await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/pay`, headers: admin })).json()).toMatchObject({ status: 'paid', paidAt: '2027-02-28T10:00:00.000Z' });
    expect((await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/void`, headers: admin })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: `/v1/invoices/org-b/${other.id}/void`, headers: admin })).json()).toMatchObject({ status: 'void', number: second.json().number });
  });

  it('are visible to their own organisation only, and changed only by billing admins', async () => {
    const clock = manualClock(Date.parse('2027-01-01T00:00:00Z'));
    const { app } = await buildBilling({ postgres, clock });
    const admin = await billingAdmin(clock);
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: admin, payload: { planId: 'pro' } });
    clock.set('2027-02-01T00:00:00Z');
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    const owner = await tokenFor('org-a', ['billing:read', 'billing:manage'], { clock });
    const [invoice] = (await app.inject({ method: 'GET', url: '/v1/invoices/org-a', headers: owner })).json().items;
    // The pro plan's 14-day trial covered the start of this period: no base fee.
    expect(invoice).toMatchObject({ planId: 'pro', totalCents: 0, lines: [] });
    expect((await app.inject({ method: 'GET', url: `/v1/invoices/org-a/${invoice.id}`, headers: await tokenFor('org-m', ['billing:read'], { clock }) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/finalize`, headers: owner })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: owner })).statusCode).toBe(403);
  });
});
