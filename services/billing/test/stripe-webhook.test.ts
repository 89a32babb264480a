import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { startFakeStripe } from './fake-stripe.js';
import { backends, billingAdmin, buildBilling, manualClock } from './helper.js';

// No Stripe here: events are signed with the official SDK's own test helper, as Stripe signs them.
const secret = 'whsec_test_secret_for_lift_billing';
const stripe = new Stripe('sk_test_lift');

function signed(event: Record<string, unknown>, timestampSeconds: number, signingSecret = secret) {
  const payload = JSON.stringify(event);
  return { payload, header: stripe.webhooks.generateTestHeaderString({ payload, secret: signingSecret, timestamp: timestampSeconds }) };
}

describe.each(backends)('Stripe webhooks on $name', ({ postgres }) => {
  const env = { STRIPE_API_KEY: 'sk_test_lift', STRIPE_WEBHOOK_SECRET: secret };

  it('apply a signed event once, also when it is delivered twice at the same time', async () => {
    const clock = manualClock(Date.parse('2027-01-01T00:00:00Z'));
    // The plan change and the finalized invoice go to Stripe: here, a local server answering like it.
    const stripeApi = await startFakeStripe();
    const { app } = await buildBilling({ postgres, clock, env: { ...env, STRIPE_API_KEY: stripeApi.apiKey, STRIPE_API_BASE: stripeApi.url } });
    const admin = await billingAdmin(clock);
    await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: admin, payload: { planId: 'enterprise' } });
    clock.set('2028-01-01T00:00:00Z');
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: await billingAdmin(clock) });
    const [invoice] = (await app.inject({ method: 'GET', url: '/v1/invoices/org-a', headers: await billingAdmin(clock) })).json().items;
    await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/finalize`, headers: await billingAdmin(clock) });

    const event = { id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1', object: 'invoice', metadata: { liftInvoiceId: invoice.id } } } };
    const { payload, header } = signed(event, Math.floor(clock.now() / 1000));
    const deliver = () => app.inject({ method: 'POST', url: '/v1/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': header }, payload });
    const [first, second] = await Promise.all([deliver(), deliver()]);
    expect([first.json(), second.json()].sort((a, b) => Number(a.duplicate) - Number(b.duplicate))).toEqual([
      { received: true, duplicate: false, applied: true },
      { received: true, duplicate: true, applied: false },
    ]);
    expect((await app.inject({ method: 'GET', url: `/v1/invoices/org-a/${invoice.id}`, headers: await billingAdmin(clock) })).json().status).toBe('paid');
  });

  it('refuse bad, missing, stale and future signatures with 400', async () => {
    const clock = manualClock();
    const { app } = await buildBilling({ postgres, clock, env });
    const now = Math.floor(clock.now() / 1000);
    const event = { id: 'evt_2', object: 'event', type: 'customer.created', data: { object: {} } };
    const post = (payload: string, header?: string) =>
      app.inject({ method: 'POST', url: '/v1/webhooks/stripe', headers: { 'content-type': 'application/json', ...(header ? { 'stripe-signature': header } : {}) }, payload });

    const good = signed(event, now);
    expect((await post(good.payload, good.header)).statusCode).toBe(200);
    const cases: [string, string | undefined, string][] = [
      [good.payload.replace('customer.created', 'invoice.paid'), good.header, 'tampered body'],
      [signed(event, now, 'whsec_someone_else').payload, signed(event, now, 'whsec_someone_else').header, 'other secret'],
      [good.payload, undefined, 'missing header'],
      [signed(event, now - 301).payload, signed(event, now - 301).header, 'older than 5 minutes'],
      [signed(event, now + 301).payload, signed(event, now + 301).header, 'more than 5 minutes ahead'],
    ];
    for (const [payload, header, label] of cases) {
      const response = await post(payload, header);
      expect(response.statusCode, label).toBe(400);
      expect(response.json(), label).toMatchObject({ code: 'BILLING_STRIPE_SIGNATURE_INVALID', field: 'headers.stripe-signature' });
    }
  });

  it('is not there at all without Stripe settings', async () => {
    const { app } = await buildBilling({ postgres });
    expect((await app.inject({ method: 'POST', url: '/v1/webhooks/stripe', headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(404);
  });
});
