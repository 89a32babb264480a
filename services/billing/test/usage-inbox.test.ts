import { describe, expect, it } from 'vitest';
import { backends, buildBilling, platformService, tokenFor } from './helper.js';

const event = (id: string, overrides: Record<string, unknown> = {}) => ({ id, org: 'org-a', metric: 'api_calls', quantity: 1, timestamp: '2026-11-28T09:00:00Z', ...overrides });

describe.each(backends)('the internal usage inbox on $name', ({ postgres }) => {
  it('counts the good events of a batch, keeps the bad ones with their reason, and counts a redelivery once', async () => {
    const { app, db } = await buildBilling({ postgres });
    const headers = await platformService();
    const batch = [event('in-1'), event('in-2', { metric: 'no_such_metric' }), event('in-3', { timestamp: 'yesterday' }), event('in-4', { org: 'org-unknown' }), event('in-5', { quantity: 2 })];
    const first = await app.inject({ method: 'POST', url: '/v1/events/usage', headers, payload: { events: batch } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: 2, duplicates: 0, deadLettered: 3 });

    const letters = await db.selectFrom('usage_dead_letters').select(['event_id', 'reason']).orderBy('event_id').execute();
    expect(letters.map((letter) => letter.event_id)).toEqual(['in-2', 'in-3', 'in-4']);
    expect(letters[0]?.reason).toContain('metric');
    expect(letters[1]?.reason).toContain('timestamp');
    expect(letters[2]?.reason).toContain('not an organisation');

    // The relay lost the acknowledgement and delivers again: nothing is counted twice.
    const again = await app.inject({ method: 'POST', url: '/v1/events/usage', headers, payload: { events: batch } });
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    const summary = await app.inject({ method: 'GET', url: '/v1/usage/org-a/summary?metric=api_calls&aggregation=sum&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', headers });
    expect(summary.json()).toMatchObject({ value: 3 });
  });

  it('is for the platform\'s own services only', async () => {
    const { app } = await buildBilling({ postgres });
    const tenant = await tokenFor('org-a', ['billing:usage']);
    const answer = await app.inject({ method: 'POST', url: '/v1/events/usage', headers: tenant, payload: { events: [event('t-1')] } });
    expect(answer.statusCode).toBe(403);
    expect(answer.headers['content-type']).toContain('application/problem+json');
  });
});
