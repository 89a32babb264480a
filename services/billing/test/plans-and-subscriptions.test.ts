import { describe, expect, it } from 'vitest';
import { backends, billingAdmin, buildBilling, manualClock, platformService, tokenFor } from './helper.js';

const plan = {
  id: 'team',
  name: 'Team',
  interval: 'month',
  basePriceCents: 1_999,
  currency: 'eur',
  trialDays: 7,
  metrics: [{ metric: 'api_calls', included: 100, limit: 'soft', overage: { tiers: [{ upTo: 50, unitPriceCents: 10 }, { upTo: null, unitPriceCents: 4 }] } }],
};

describe.each(backends)('plans and subscriptions on $name', ({ postgres }) => {
  it('seeds free, pro and enterprise, and lets only billing:admin of the platform change plans', async () => {
    const { app } = await buildBilling({ postgres });
    const tenantOwner = await tokenFor('org-a', ['billing:read', 'billing:manage', 'org:owner']);
    const listed = (await app.inject({ method: 'GET', url: '/v1/plans', headers: tenantOwner })).json();
    expect(listed.items.map((entry: { id: string }) => entry.id)).toEqual(['enterprise', 'free', 'pro']);
    expect((await app.inject({ method: 'POST', url: '/v1/plans', headers: tenantOwner, payload: plan })).statusCode).toBe(403);
    const tenantAdmin = await tokenFor('org-a', ['billing:admin']);
    expect((await app.inject({ method: 'POST', url: '/v1/plans', headers: tenantAdmin, payload: plan })).statusCode).toBe(403);

    const admin = await billingAdmin();
    expect((await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: plan })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: plan })).statusCode).toBe(409);
    const changed = await app.inject({ method: 'PUT', url: '/v1/plans/team', headers: admin, payload: { ...plan, basePriceCents: 2_499 } });
    expect(changed.json().basePriceCents).toBe(2_499);
    expect((await app.inject({ method: 'DELETE', url: '/v1/plans/team', headers: admin })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/v1/plans', headers: admin })).json().items.map((entry: { id: string }) => entry.id)).not.toContain('team');
    const bad = await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: { ...plan, id: 'x2', basePriceCents: 19.99 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.basePriceCents');
  });

  it('starts an organisation on free, changes plan now with the trial, or at period end', async () => {
    const clock = manualClock(Date.parse('2027-01-31T10:00:00Z'));
    const { app } = await buildBilling({ postgres, clock });
    const admin = await billingAdmin(clock);
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: plan });
    const owner = await tokenFor('org-a', ['billing:read', 'billing:manage'], { clock });
    const start = (await app.inject({ method: 'GET', url: '/v1/subscriptions/org-a', headers: owner })).json();
    expect(start).toMatchObject({ planId: 'free', status: 'active', currentPeriod: { start: '2027-01-31T10:00:00.000Z', end: '2027-02-28T10:00:00.000Z' } });

    const upgraded = (await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: owner, payload: { planId: 'team' } })).json();
    expect(upgraded).toMatchObject({ planId: 'team', status: 'trialing', trialEndsAt: '2027-02-07T10:00:00.000Z' });

    const later = (await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: owner, payload: { planId: 'pro', effective: 'period_end' } })).json();
    expect(later).toMatchObject({ planId: 'team', pendingPlanId: 'pro' });
    clock.set('2027-02-28T10:00:01Z');
    expect((await app.inject({ method: 'GET', url: '/v1/subscriptions/org-a', headers: owner })).json()).toMatchObject({ planId: 'pro', pendingPlanId: null, currentPeriod: { start: '2027-02-28T10:00:00.000Z' } });

    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: owner, payload: { cancelAtPeriodEnd: true } });
    clock.set('2027-03-28T10:00:01Z');
    expect((await app.inject({ method: 'GET', url: '/v1/subscriptions/org-a', headers: owner })).json()).toMatchObject({ planId: 'free', cancelAtPeriodEnd: false });

    const unknown = await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: owner, payload: { planId: 'platinum' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'BILLING_PLAN_NOT_FOUND', field: 'body.planId' });
  });

  it('shows a tenant only its own subscription, entitlements and invoices (404 otherwise)', async () => {
    const { app } = await buildBilling({ postgres });
    const mallory = await tokenFor('org-m', ['billing:read', 'billing:manage']);
    for (const url of ['/v1/subscriptions/org-a', '/v1/entitlements/org-a', '/v1/invoices/org-a/preview', '/v1/usage/org-a/summary?metric=api_calls&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z']) {
      expect((await app.inject({ method: 'GET', url, headers: mallory })).statusCode, url).toBe(404);
    }
    expect((await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: mallory, payload: { planId: 'pro' } })).statusCode).toBe(404);
  });

  it('report a hard limit reached, and price soft overage to the cent', async () => {
    const clock = manualClock();
    const { app } = await buildBilling({ postgres, clock });
    const service = await platformService(clock);
    const admin = await billingAdmin(clock);
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: { ...plan, trialDays: 0 } });
    const events = (org: string, count: number) => Array.from({ length: count }, (_, index) => ({ id: `${org}-${index}`, org, metric: 'api_calls', quantity: 1, timestamp: '2026-11-28T09:00:00Z' }));
    await app.inject({ method: 'POST', url: '/v1/usage/batch', headers: service, payload: { events: events('org-free', 10_000) } });
    const free = (await app.inject({ method: 'GET', url: '/v1/entitlements/org-free', headers: service })).json();
    expect(free.metrics.find((metric: { metric: string }) => metric.metric === 'api_calls')).toEqual({ metric: 'api_calls', used: 10_000, included: 10_000, remaining: 0, limit: 'hard', hardLimitReached: true });

    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-team', headers: admin, payload: { planId: 'team' } });
    await app.inject({ method: 'POST', url: '/v1/usage/batch', headers: service, payload: { events: events('org-team', 100 + 50 + 33) } });
    const invoice = (await app.inject({ method: 'GET', url: '/v1/invoices/org-team/preview', headers: admin })).json();
    expect(invoice.lines).toEqual([
      { description: 'Team (month)', metric: null, quantity: 1, unitPriceCents: 1_999, amountCents: 1_999 },
      { description: 'api_calls over 100 included (tier 1)', metric: 'api_calls', quantity: 50, unitPriceCents: 10, amountCents: 500 },
      { description: 'api_calls over 100 included (tier 2)', metric: 'api_calls', quantity: 33, unitPriceCents: 4, amountCents: 132 },
    ]);
    expect(invoice).toMatchObject({ currency: 'eur', subtotalCents: 2_631, totalCents: 2_631 });
  });
});
