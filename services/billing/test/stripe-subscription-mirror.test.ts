import { describe, expect, it } from 'vitest';
import { startFakeStripe } from './fake-stripe.js';
import { backends, billingAdmin, buildBilling, manualClock, tokenFor } from './helper.js';

// No Stripe here: the official SDK talks to a local HTTP server that answers like Stripe's API
// (fake-stripe.ts); the assertions read the form-encoded requests the SDK sent it.
const team = { id: 'team', name: 'Team', interval: 'month', basePriceCents: 1_999, currency: 'eur', trialDays: 0, metrics: [] };
const seconds = (iso: string) => String(Date.parse(iso) / 1000);

describe.each(backends)('subscriptions mirrored in Stripe on $name', ({ postgres }) => {
  it('follow the organisation: created on a paid plan, items updated on a change, cancelled at period end, ended on free', async () => {
    const stripe = await startFakeStripe();
    const clock = manualClock(Date.parse('2027-01-31T10:00:00Z'));
    const { app, db } = await buildBilling({ postgres, clock, env: { STRIPE_API_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url } });
    const admin = await billingAdmin(clock);
    const owner = await tokenFor('org-a', ['billing:read', 'billing:manage'], { clock });
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: team });
    // The free plan has no Stripe subscription: meeting the organisation sends Stripe nothing.
    await app.inject({ method: 'GET', url: '/v1/subscriptions/org-a', headers: owner });
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    expect(stripe.calls).toEqual([]);

    // The change answers at once; the sync follows in the background (no run needed to start it).
    const upgraded = await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: owner, payload: { planId: 'team' } });
    expect(upgraded.json()).toMatchObject({ planId: 'team', currentPeriod: { end: '2027-02-28T10:00:00.000Z' } });
    await stripe.received('POST /v1/subscriptions');
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    expect(stripe.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /v1/prices', 'POST /v1/customers', 'POST /v1/subscriptions', expect.stringMatching(/^POST \/v1\/subscriptions\/sub_\d+$/)]);
    const [price, customer, created, settings] = stripe.calls;
    expect(Object.fromEntries(price?.body ?? [])).toMatchObject({ currency: 'eur', unit_amount: '1999', 'recurring[interval]': 'month', 'product_data[name]': 'Team', 'metadata[liftPlanId]': 'team' });
    expect(customer?.body.get('metadata[liftOrganisationId]')).toBe('org-a');
    const subscription = [...stripe.subscriptions.values()][0];
    expect(Object.fromEntries(created?.body ?? [])).toEqual({
      customer: subscription?.customer,
      'items[0][price]': subscription?.items.data[0]?.price.id,
      collection_method: 'send_invoice',
      days_until_due: '30',
      proration_behavior: 'none',
      // Stripe's cycle begins when this period ends: it bills nothing for the period billing invoices.
      billing_cycle_anchor: seconds('2027-02-28T10:00:00Z'),
      'metadata[liftOrganisationId]': 'org-a',
      'metadata[liftPlanId]': 'team',
    });
    expect(created?.idempotencyKey).toBe('lift-subscription-org-a-2027-01-31T10:00:00.000Z');
    expect(settings?.path).toBe(`/v1/subscriptions/${subscription?.id}`);
    expect(Object.fromEntries(settings?.body ?? [])).toMatchObject({ 'items[0][id]': subscription?.items.data[0]?.id, cancel_at_period_end: 'false', 'pause_collection[behavior]': 'void' });
    expect(await db.selectFrom('subscriptions').select(['stripe_subscription_id', 'stripe_customer_id']).where('organisation_id', '=', 'org-a').executeTakeFirst()).toEqual({
      stripe_subscription_id: subscription?.id,
      stripe_customer_id: subscription?.customer,
    });

    // Nothing changed: the timer's next run sends nothing.
    const quiet = stripe.calls.length;
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    expect(stripe.calls).toHaveLength(quiet);

    // A change of plan: the same subscription, its item on the new plan's price, with the trial.
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: owner, payload: { planId: 'pro' } });
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    const changed = stripe.calls.slice(quiet);
    expect(changed.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /v1/prices', `POST /v1/subscriptions/${subscription?.id}`]);
    expect(Object.fromEntries(changed[0]?.body ?? [])).toMatchObject({ currency: 'usd', unit_amount: '4900', 'metadata[liftPlanId]': 'pro' });
    const proPrice = changed[1]?.body.get('items[0][price]');
    expect(proPrice).toMatch(/^price_/);
    expect(proPrice).not.toBe(created?.body.get('items[0][price]'));
    expect(Object.fromEntries(changed[1]?.body ?? [])).toMatchObject({
      'items[0][id]': subscription?.items.data[0]?.id,
      proration_behavior: 'none',
      trial_end: seconds('2027-02-14T10:00:00Z'),
      'metadata[liftPlanId]': 'pro',
    });
    expect(stripe.subscriptions.get(subscription?.id ?? '')?.items.data[0]?.price.id).toBe(proPrice);

    // Cancel at period end: Stripe is told the same.
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: owner, payload: { cancelAtPeriodEnd: true } });
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    expect(stripe.subscriptions.get(subscription?.id ?? '')).toMatchObject({ cancel_at_period_end: true, status: 'trialing' });

    // Past the period end the organisation is back on free, and the Stripe subscription is over.
    clock.set('2027-03-01T00:00:00Z');
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    expect(stripe.calls.slice(-2).map((call) => `${call.method} ${call.path}`)).toEqual([`GET /v1/subscriptions/${subscription?.id}`, `DELETE /v1/subscriptions/${subscription?.id}`]);
    expect(stripe.subscriptions.get(subscription?.id ?? '')?.status).toBe('canceled');
    expect((await app.inject({ method: 'GET', url: '/v1/subscriptions/org-a', headers: owner })).json()).toMatchObject({ planId: 'free' });
    expect(await db.selectFrom('subscriptions').select('stripe_subscription_id').where('organisation_id', '=', 'org-a').executeTakeFirst()).toEqual({ stripe_subscription_id: null });
  });

  it('never fail a change while Stripe is down, and catch up on the invoicing timer\'s next run', async () => {
    const stripe = await startFakeStripe();
    stripe.setUp(false);
    const clock = manualClock(Date.parse('2027-01-31T10:00:00Z'));
    const { app, db } = await buildBilling({ postgres, clock, env: { STRIPE_API_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url } });
    const admin = await billingAdmin(clock);
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: team });

    const change = await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-b', headers: admin, payload: { planId: 'team' } });
    expect(change.statusCode).toBe(200);
    expect(change.json()).toMatchObject({ planId: 'team' });
    const run = await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    expect(run.statusCode).toBe(200);
    expect(stripe.calls.length).toBeGreaterThan(0);
    expect(stripe.subscriptions.size).toBe(0);
    expect(await db.selectFrom('subscriptions').select('stripe_subscription_id').where('organisation_id', '=', 'org-b').executeTakeFirst()).toEqual({ stripe_subscription_id: null });

    stripe.setUp(true);
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    const [subscription] = [...stripe.subscriptions.values()];
    expect(stripe.subscriptions.size).toBe(1);
    expect(subscription?.items.data[0]?.price.id).toMatch(/^price_/);
    expect(await db.selectFrom('subscriptions').select('stripe_subscription_id').where('organisation_id', '=', 'org-b').executeTakeFirst()).toEqual({ stripe_subscription_id: subscription?.id });
  });
});
