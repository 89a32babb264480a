import { describe, expect, it } from 'vitest';
import { backends, buildBilling, manualClock, platformService, tokenFor } from './helper.js';

const event = (id: string, overrides: Record<string, unknown> = {}) => ({ id, org: 'org-a', metric: 'api_calls', quantity: 1, timestamp: '2026-11-28T09:00:00Z', ...overrides });

function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

describe.each(backends)('usage events on $name', ({ postgres }) => {
  it('count each id once: 10,000 events sent twice in shuffled batches give exact totals', async () => {
    const { app } = await buildBilling({ postgres });
    const headers = await platformService();
    const events = Array.from({ length: 10_000 }, (_, index) => event(`evt-${index}`, { org: index % 2 ? 'org-a' : 'org-b', quantity: (index % 7) + 1 }));
    const expected = { 'org-a': 0, 'org-b': 0 };
    for (const [index, item] of events.entries()) expected[index % 2 ? 'org-a' : 'org-b'] += item.quantity as number;

    let accepted = 0;
    let duplicates = 0;
    for (const [round, seed] of [[0, 7], [1, 99]] as const) {
      const order = shuffled(events, seed);
      for (let start = 0; start < order.length; start += 2_500 + round * 500) {
        const response = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events: order.slice(start, start + 2_500 + round * 500) } });
        expect(response.statusCode).toBe(200);
        accepted += response.json().accepted;
        duplicates += response.json().duplicates;
      }
    }
    expect({ accepted, duplicates }).toEqual({ accepted: 10_000, duplicates: 10_000 });
    for (const org of ['org-a', 'org-b'] as const) {
      const entitlements = (await app.inject({ method: 'GET', url: `/v1/entitlements/${org}`, headers })).json();
      expect(entitlements.metrics.find((metric: { metric: string }) => metric.metric === 'api_calls').used).toBe(expected[org]);
    }
  });

  it('refuse a whole batch with one bad event, naming each bad one, and store nothing', async () => {
    const { app } = await buildBilling({ postgres });
    const headers = await platformService();
    // org-a is subscribed from now on (billing met it), so yesterday is before its open period.
    await app.inject({ method: 'GET', url: '/v1/entitlements/org-a', headers });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/usage/batch',
      headers,
      payload: { events: [event('ok-1'), event('bad-metric', { metric: 'coffee_cups' }), event('ok-2'), event('future', { timestamp: '2026-11-28T10:00:00Z' }), event('old', { timestamp: '2026-11-27T09:00:00Z' })] },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('BILLING_USAGE_INVALID');
    expect(body.errors).toEqual([
      { index: 1, field: 'body.events[1].metric', reason: '"coffee_cups" is not a metric of any plan' },
      { index: 3, field: 'body.events[3].timestamp', reason: 'is more than 300 s in the future' },
      { index: 4, field: 'body.events[4].timestamp', reason: expect.stringContaining('is before the open billing period') },
    ]);
    const used = (await app.inject({ method: 'GET', url: '/v1/entitlements/org-a', headers })).json().metrics[0].used;
    expect(used).toBe(0);
  });

  it('refuse negative, fractional and malformed values with 400 naming the field', async () => {
    const { app } = await buildBilling({ postgres });
    const headers = await platformService();
    for (const [bad, field] of [[{ quantity: -1 }, 'quantity'], [{ quantity: 1.5 }, 'quantity'], [{ id: 'has spaces' }, 'id'], [{ timestamp: 'yesterday' }, 'timestamp'], [{ extra: 1 }, 'extra']] as const) {
      const response = await app.inject({ method: 'POST', url: '/v1/usage', headers, payload: event('x', bad) });
      expect(response.statusCode, field).toBe(400);
      expect(response.json().errors[0].field).toBe(`body.${field}`);
    }
  });

  it('let a tenant\'s caller report only its own organisation\'s usage', async () => {
    const { app } = await buildBilling({ postgres });
    const module = await tokenFor('org-a', ['billing:usage'], { subject: 'apikey:k1' });
    expect((await app.inject({ method: 'POST', url: '/v1/usage', headers: module, payload: event('own') })).statusCode).toBe(200);
    const foreign = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers: module, payload: { events: [event('x1'), event('x2', { org: 'org-b' })] } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ code: 'BILLING_OTHER_ORGANISATION', errors: [{ index: 1, field: 'body.events[1].org' }] });
    expect((await app.inject({ method: 'POST', url: '/v1/usage', headers: await tokenFor('org-a', ['billing:read']), payload: event('y') })).statusCode).toBe(403);
  });

  it('aggregate per period: sum, count, max and unique count of a property', async () => {
    const clock = manualClock();
    const { app } = await buildBilling({ postgres, clock });
    const headers = await platformService();
    const events = [
      event('a', { metric: 'memory_searches', quantity: 2, properties: { user: 'u1' } }),
      event('b', { metric: 'memory_searches', quantity: 5, properties: { user: 'u2' } }),
      event('c', { metric: 'memory_searches', quantity: 1, properties: { user: 'u1' } }),
    ];
    await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events } });
    const summary = async (aggregation: string) =>
      (await app.inject({ method: 'GET', url: `/v1/usage/org-a/summary?metric=memory_searches&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z&aggregation=${aggregation}&property=user`, headers })).json().value;
    expect([await summary('sum'), await summary('count'), await summary('max'), await summary('unique')]).toEqual([8, 3, 5, 2]);
  });
});
