import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { billingAdmin, buildBilling, manualClock } from './helper.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/**
 * No Stripe here: a local server answers the official SDK as Stripe's API does (form-encoded
 * requests, JSON objects back), recording each call and its Idempotency-Key.
 */
async function startFakeStripe() {
  const calls: { method: string; path: string; body: URLSearchParams; idempotencyKey: string | undefined }[] = [];
  let up = true;
  let next = 1;
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const body = new URLSearchParams(raw);
      calls.push({ method: request.method ?? '', path: request.url ?? '', body, idempotencyKey: request.headers['idempotency-key'] as string | undefined });
      if (!up) {
        response.writeHead(500, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ error: { type: 'api_error', message: 'Stripe is having a bad day' } }));
      }
      const send = (object: Record<string, unknown>) => {
        response.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${next}` });
        response.end(JSON.stringify(object));
      };
      const url = request.url ?? '';
      if (url === '/v1/customers') return send({ id: `cus_${next++}`, object: 'customer' });
      if (url === '/v1/invoices') return send({ id: `in_${next++}`, object: 'invoice', status: 'draft' });
      if (url === '/v1/invoiceitems') return send({ id: `ii_${next++}`, object: 'invoiceitem' });
      const finalize = /^\/v1\/invoices\/(in_\d+)\/finalize$/.exec(url);
      if (finalize) return send({ id: finalize[1], object: 'invoice', status: 'open' });
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { type: 'invalid_request_error', message: `no ${url}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, setUp: (value: boolean) => void (up = value) };
}

async function openInvoice(stripeUrl: string) {
  const clock = manualClock(Date.parse('2027-01-01T00:00:00Z'));
  const { app } = await buildBilling({ clock, env: { STRIPE_API_KEY: 'sk_test_lift', STRIPE_API_BASE: stripeUrl } });
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
    const { app, admin, invoice } = await openInvoice(stripe.url);
    const finalized = (await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/finalize`, headers: admin })).json();
    expect(finalized.stripeInvoiceId).toMatch(/^in_/);
    expect(stripe.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /v1/customers', 'POST /v1/invoices', 'POST /v1/invoiceitems', `POST /v1/invoices/${finalized.stripeInvoiceId}/finalize`]);
    expect(stripe.calls[0]?.body.get('metadata[liftOrganisationId]')).toBe('org-a');
    expect(stripe.calls[1]?.body.get('metadata[liftInvoiceId]')).toBe(invoice.id);
    expect(stripe.calls[2]?.body.get('amount')).toBe('1999');
    expect(stripe.calls[2]?.body.get('currency')).toBe('eur');
    expect(stripe.calls.every((call) => call.idempotencyKey?.startsWith('lift-'))).toBe(true);
  });

  it('keep the invoice open when Stripe is down, and push it on the next run', async () => {
    const stripe = await startFakeStripe();
    stripe.setUp(false);
    const { app, admin, invoice } = await openInvoice(stripe.url);
    const finalized = await app.inject({ method: 'POST', url: `/v1/invoices/org-a/${invoice.id}/finalize`, headers: admin });
    expect(finalized.statusCode).toBe(200);
    expect(finalized.json()).toMatchObject({ status: 'open', number: 1, stripeInvoiceId: null });
    stripe.setUp(true);
    await app.inject({ method: 'POST', url: '/v1/invoices/run', headers: admin });
    expect((await app.inject({ method: 'GET', url: `/v1/invoices/org-a/${invoice.id}`, headers: admin })).json().stripeInvoiceId).toMatch(/^in_/);
  });
});
