import { describe, expect, it } from 'vitest';
import { startFakeStripe } from './fake-stripe.js';
import { billingAdmin, buildBilling, manualClock } from './helper.js';

// No Stripe here: the SDK talks to a local server that answers like Stripe's API (fake-stripe.ts).
async function openInvoice(stripe: { url: string; apiKey: string }) {
  const clock = manualClock(Date.parse('2027-01-01T00:00:00Z'));
  const { app } = await buildBilling({ clock, env: { STRIPE_API_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url } });
  const admin = await billingAdmin(clock);
  await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: { id: 'team', name: 'Team', interval: 'month', basePriceCents: 1_999, currency: 'eur', trialDays: 0, metrics: [] } });
  await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-a', headers: admin, payload: { planId: 'team' } });
  clock.set('2027-02-01T00:00:00Z');
  await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
  const [invoice] = (await app.inject({ method: 'GET', url: '/v1/invoices/org-a', headers: admin })).json().items;
  return { app, admin, invoice };
}

describe('invoices pushed to Stripe', () => {
  it('create the customer once, the invoice with its lines, and finalize it there', async () => {
    const stripe = await startFakeStripe();
    const { app, admin, invoice } = await openInvoice(stripe);
    // Moving to the paid plan already made the customer (for its Stripe subscription).
    const before = stripe.calls.length;
    const finalized = (await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/finalize`, headers: admin })).json();
    expect(finalized.stripeInvoiceId).toMatch(/^in_/);
    const pushed = stripe.calls.slice(before);
    expect(pushed.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /v1/invoices', 'POST /v1/invoiceitems', `POST /v1/invoices/${finalized.stripeInvoiceId}/finalize`]);
    const customers = stripe.calls.filter((call) => call.path === '/v1/customers');
    expect(customers).toHaveLength(1);
    expect(customers[0]?.body.get('metadata[liftOrganisationId]')).toBe('org-a');
    expect(pushed[0]?.body.get('customer')).toBe(stripe.subscriptions.values().next().value?.customer);
    expect(pushed[0]?.body.get('metadata[liftInvoiceId]')).toBe(invoice.id);
    expect(pushed[1]?.body.get('amount')).toBe('1999');
    expect(pushed[1]?.body.get('currency')).toBe('eur');
    expect([...customers, ...pushed].every((call) => call.idempotencyKey?.startsWith('lift-'))).toBe(true);
  });

  it('keep the invoice open when Stripe is down, and push it on the next run', async () => {
    const stripe = await startFakeStripe();
    stripe.setUp(false);
    const { app, admin, invoice } = await openInvoice(stripe);
    const finalized = await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/finalize`, headers: admin });
    expect(finalized.statusCode).toBe(200);
    expect(finalized.json()).toMatchObject({ status: 'open', number: 1, stripeInvoiceId: null });
    stripe.setUp(true);
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    expect((await app.inject({ method: 'GET', url: `/v1/invoices/org-a/${invoice.id}`, headers: admin })).json().stripeInvoiceId).toMatch(/^in_/);
  });
});
