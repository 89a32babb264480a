import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startStandIn } from '../../../tests/support/stand-in-server.js';

export interface StripeCall {
  readonly method: string;
  readonly path: string;
  /** The SDK's form-encoded body (`items[0][price]=…`). */
  readonly body: URLSearchParams;
  readonly idempotencyKey: string | undefined;
}

interface FakeSubscription {
  id: string;
  object: 'subscription';
  customer: string;
  status: 'active' | 'trialing' | 'canceled';
  cancel_at_period_end: boolean;
  items: { object: 'list'; data: { id: string; object: 'subscription_item'; price: { id: string; object: 'price' } }[] };
}

export interface FakeStripe {
  readonly url: string;
  /**
   * The secret key this fake accepts (one of its own): calls with another key are refused with 401
   * and not recorded, as Stripe would — a billing app of another test whose Stripe port this fake
   * happens to reuse must not show up among this test's calls.
   */
  readonly apiKey: string;
  readonly calls: StripeCall[];
  /** Down: every call is answered 500, as Stripe answers when it is having a bad day. */
  setUp(up: boolean): void;
  /** The subscriptions it holds, as Stripe would show them. */
  readonly subscriptions: Map<string, FakeSubscription>;
  /** Resolves when a call matching `method path` has arrived (at once if one has); fails after `withinMs`. */
  received(methodAndPath: string, withinMs?: number): Promise<StripeCall>;
}

/**
 * No Stripe here: a local HTTP server that answers the official SDK as Stripe's API does —
 * form-encoded requests, JSON objects back, the first answer again for a repeated Idempotency-Key
 * — recording every call. It keeps just enough state (subscriptions) to answer like Stripe.
 */
export async function startFakeStripe(): Promise<FakeStripe> {
  const calls: StripeCall[] = [];
  const subscriptions = new Map<string, FakeSubscription>();
  const answered = new Map<string, { status: number; body: string }>();
  const waiting: { methodAndPath: string; resolve: (call: StripeCall) => void }[] = [];
  let up = true;
  let next = 1;

  const answer = (call: StripeCall): { status: number; object: unknown } => {
    const { method, path, body } = call;
    const error = (status: number, message: string) => ({ status, object: { error: { type: 'invalid_request_error', message } } });
    if (method === 'POST' && path === '/v1/customers') return { status: 200, object: { id: `cus_${next++}`, object: 'customer' } };
    if (method === 'POST' && path === '/v1/invoices') return { status: 200, object: { id: `in_${next++}`, object: 'invoice', status: 'draft' } };
    if (method === 'POST' && path === '/v1/invoiceitems') return { status: 200, object: { id: `ii_${next++}`, object: 'invoiceitem' } };
    const finalize = /^\/v1\/invoices\/(in_\d+)\/finalize$/.exec(path);
    if (method === 'POST' && finalize) return { status: 200, object: { id: finalize[1], object: 'invoice', status: 'open' } };
    if (method === 'POST' && path === '/v1/prices') {
      return { status: 200, object: { id: `price_${next++}`, object: 'price', currency: body.get('currency'), unit_amount: Number(body.get('unit_amount')), recurring: { interval: body.get('recurring[interval]') } } };
    }
    if (method === 'POST' && path === '/v1/subscriptions') {
      const price = body.get('items[0][price]');
      if (!body.get('customer') || !price) return error(400, 'Missing required param: customer or items[0][price].');
      const subscription: FakeSubscription = {
        id: `sub_${next++}`,
        object: 'subscription',
        customer: body.get('customer') as string,
        status: body.has('trial_end') ? 'trialing' : 'active',
        cancel_at_period_end: body.get('cancel_at_period_end') === 'true',
        items: { object: 'list', data: [{ id: `si_${next++}`, object: 'subscription_item', price: { id: price, object: 'price' } }] },
      };
      subscriptions.set(subscription.id, subscription);
      return { status: 200, object: subscription };
    }
    const one = /^\/v1\/subscriptions\/(sub_\d+)$/.exec(path);
    const subscription = one ? subscriptions.get(one[1] as string) : undefined;
    if (one && !subscription) return { status: 404, object: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such subscription: '${one[1]}'` } } };
    if (subscription && method === 'GET') return { status: 200, object: subscription };
    if (subscription && method === 'DELETE') {
      if (subscription.status === 'canceled') return error(400, 'This subscription has already been canceled.');
      subscription.status = 'canceled';
      return { status: 200, object: subscription };
    }
    if (subscription && method === 'POST') {
      if (subscription.status === 'canceled') return error(400, 'A canceled subscription can only update its cancellation_details and metadata.');
      const item = subscription.items.data.find((entry) => entry.id === body.get('items[0][id]'));
      if (body.has('items[0][id]') && !item) return error(400, `No such subscription item: '${body.get('items[0][id]')}'`);
      if (item && body.has('items[0][price]')) item.price = { id: body.get('items[0][price]') as string, object: 'price' };
      if (body.has('cancel_at_period_end')) subscription.cancel_at_period_end = body.get('cancel_at_period_end') === 'true';
      if (body.has('trial_end')) subscription.status = 'trialing';
      return { status: 200, object: subscription };
    }
    return error(404, `Unrecognized request URL (${method}: ${path}).`);
  };

  const send = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${next}` });
    response.end(body);
  };

  const apiKey = `sk_test_lift_${randomBytes(8).toString('hex')}`;
  const stripe = await startStandIn((request, response) => {
    if (request.headers.authorization !== `Bearer ${apiKey}`) return send(response, 401, JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } }));
    const call: StripeCall = { method: request.method, path: request.url, body: new URLSearchParams(request.body), idempotencyKey: request.headers['idempotency-key'] as string | undefined };
    calls.push(call);
    for (const waiter of waiting.filter((entry) => entry.methodAndPath === `${call.method} ${call.path}`)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(call);
    }
    if (!up) return send(response, 500, JSON.stringify({ error: { type: 'api_error', message: 'Stripe is having a bad day' } }));
    const replay = call.idempotencyKey === undefined ? undefined : answered.get(call.idempotencyKey);
    if (replay) return send(response, replay.status, replay.body);
    const { status, object } = answer(call);
    const body = JSON.stringify(object);
    if (call.idempotencyKey !== undefined && status < 500) answered.set(call.idempotencyKey, { status, body });
    send(response, status, body);
  });
  return {
    url: stripe.url,
    apiKey,
    calls,
    subscriptions,
    setUp: (value) => void (up = value),
    received: (methodAndPath, withinMs = 5_000) => {
      const seen = calls.find((call) => `${call.method} ${call.path}` === methodAndPath);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Stripe never received ${methodAndPath}`)), withinMs);
        waiting.push({ methodAndPath, resolve: (call) => (clearTimeout(timer), resolve(call)) });
      });
    },
  };
}
