import { describe, expect, it } from 'vitest';
import { freePort } from '../../../tests/support/free-port.js';
import { backends, billingAdmin, buildBilling, knownOrganisations, manualClock, platformService } from './helper.js';

const event = (id: string, org: string, overrides: Record<string, unknown> = {}) => ({ id, org, metric: 'api_calls', quantity: 1, timestamp: '2026-11-28T09:00:00Z', ...overrides });

describe.each(backends)('organisations billing has never met, on $name', ({ postgres }) => {
  it('are refused with 400 naming each event of one auth does not know, and nothing is stored', async () => {
    const organisations = knownOrganisations(['org-a']);
    const { app, db } = await buildBilling({ postgres, organisations });
    const headers = await platformService();
    const batch = await app.inject({
      method: 'POST',
      url: '/v1/usage/batch',
      headers,
      payload: { events: [event('a-1', 'org-a'), event('g-1', 'org-ghost'), event('a-2', 'org-a'), event('g-2', 'org-ghost', { metric: 'coffee_cups' })] },
    });
    expect(batch.statusCode).toBe(400);
    expect(batch.json()).toMatchObject({ code: 'BILLING_USAGE_INVALID' });
    expect(batch.json().errors).toEqual([
      { index: 1, field: 'body.events[1].org', reason: 'is not an organisation' },
      { index: 3, field: 'body.events[3].org', reason: 'is not an organisation' },
      { index: 3, field: 'body.events[3].metric', reason: '"coffee_cups" is not a metric of any plan' },
    ]);
    const single = await app.inject({ method: 'POST', url: '/v1/usage', headers, payload: event('g-3', 'org-ghost') });
    expect(single.statusCode).toBe(400);
    expect(single.json().errors).toEqual([{ index: 0, field: 'body.org', reason: 'is not an organisation' }]);

    expect(await db.selectFrom('usage_events').select('id').execute()).toEqual([]);
    expect((await db.selectFrom('subscriptions').select('organisation_id').execute()).map((row) => row.organisation_id)).not.toContain('org-ghost');
    const ghost = await app.inject({ method: 'GET', url: '/v1/subscriptions/org-ghost', headers: await billingAdmin() });
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json()).toMatchObject({ code: 'BILLING_SUBSCRIPTION_NOT_FOUND', organisationId: 'org-ghost' });
  });

  it('are asked about once they are met, never again; the platform organisation never', async () => {
    const organisations = knownOrganisations(['org-a', 'org-b']);
    const { app } = await buildBilling({ postgres, organisations });
    const headers = await platformService();
    const first = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events: [event('a-1', 'org-a'), event('b-1', 'org-b'), event('p-1', 'platform')] } });
    expect(first.json()).toEqual({ accepted: 3, duplicates: 0 });
    expect(new Set(organisations.asked)).toEqual(new Set(['org-a', 'org-b']));

    const asked = organisations.asked.length;
    const again = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events: [event('a-2', 'org-a'), event('b-2', 'org-b'), event('p-2', 'platform')] } });
    expect(again.json()).toEqual({ accepted: 3, duplicates: 0 });
    expect((await app.inject({ method: 'GET', url: '/v1/entitlements/org-b', headers })).statusCode).toBe(200);
    expect(organisations.asked).toHaveLength(asked);
  });

  it('are answered 503 problem+json while auth cannot be asked, and nothing is stored', async () => {
    const clock = manualClock();
    const { app, db } = await buildBilling({ postgres, clock, organisations: 'auth', env: { AUTH_SERVICE_URL: `http://127.0.0.1:${await freePort()}`, SERVICE_CLIENT_SECRETS: 'billing:billing-secret-0123456789' } });
    const headers = await platformService(clock);
    // org-a is already subscribed: its usage needs no question to auth.
    const at = new Date(clock.now()).toISOString();
    await db.insertInto('subscriptions').values({ organisation_id: 'org-a', plan_id: 'free', anchor: at, trial_ends_at: null, cancel_at_period_end: 0, pending_plan_id: null, created_at: at, updated_at: at }).execute();

    const refused = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events: [event('a-1', 'org-a'), event('n-1', 'org-new')] } });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ status: 503, code: 'BILLING_AUTH_UNAVAILABLE' });
    expect(refused.body).not.toMatch(/ECONNREFUSED|\n\s+at /);
    expect(await db.selectFrom('usage_events').select('id').execute()).toEqual([]);
    expect((await app.inject({ method: 'PATCH', url: '/v1/subscriptions/org-new', headers: await billingAdmin(clock), payload: { planId: 'pro' } })).statusCode).toBe(503);

    expect((await app.inject({ method: 'POST', url: '/v1/usage', headers, payload: event('a-2', 'org-a') })).json()).toEqual({ accepted: 1, duplicates: 0 });
  });
});
