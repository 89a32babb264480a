import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseLocation, isUniqueViolation, migrateToLatest, openDatabase } from '@lift/kit';
import { testSchemaName } from '../../../tests/support/test-schema.js';
import type { BillingTables } from '../src/app.js';
import { billingMigrations } from '../src/migrations/index.js';
import { backends, buildBilling, platformService, tokenFor } from './helper.js';

const event = (id: string, org: string, quantity = 1) => ({ id, org, metric: 'api_calls', quantity, timestamp: '2026-11-28T09:00:00Z' });
const summaryUrl = (org: string) => `/v1/usage/${org}/summary?metric=api_calls&aggregation=sum&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z`;

// Issue #10 item 8: usage ids were unique across all organisations, so tenant A could pre-claim
// an id and have tenant B's usage dropped as a duplicate — and learn which ids B had used.
describe.each(backends)('usage idempotency per organisation on $name', ({ postgres }) => {
  it('counts the same id once per organisation: A\'s event does not swallow B\'s, and B\'s retry is still a duplicate', async () => {
    const { app, db } = await buildBilling({ postgres });
    const tenantA = await tokenFor('org-a', ['billing:usage', 'billing:read']);
    const tenantB = await tokenFor('org-b', ['billing:usage', 'billing:read']);

    const claimed = await app.inject({ method: 'POST', url: '/v1/usage', headers: tenantA, payload: event('shared-id', 'org-a', 3) });
    expect(claimed.json()).toEqual({ accepted: 1, duplicates: 0 });
    const victim = await app.inject({ method: 'POST', url: '/v1/usage', headers: tenantB, payload: event('shared-id', 'org-b', 5) });
    expect(victim.json()).toEqual({ accepted: 1, duplicates: 0 });
    const retry = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers: tenantB, payload: { events: [event('shared-id', 'org-b', 5)] } });
    expect(retry.json()).toEqual({ accepted: 0, duplicates: 1 });

    expect((await app.inject({ method: 'GET', url: summaryUrl('org-a'), headers: tenantA })).json().value).toBe(3);
    expect((await app.inject({ method: 'GET', url: summaryUrl('org-b'), headers: tenantB })).json().value).toBe(5);
    const rows = await db.selectFrom('usage_events').select(['organisation_id', 'id']).where('id', '=', 'shared-id').orderBy('organisation_id').execute();
    expect(rows).toEqual([{ organisation_id: 'org-a', id: 'shared-id' }, { organisation_id: 'org-b', id: 'shared-id' }]);
  });

  it('does the same on the internal inbox the gateway\'s events arrive through', async () => {
    const { app } = await buildBilling({ postgres });
    const headers = await platformService();
    const batch = [event('gw-1', 'org-a'), event('gw-1', 'org-b', 2)];
    expect((await app.inject({ method: 'POST', url: '/v1/events/usage', headers, payload: { events: batch } })).json()).toEqual({ accepted: 2, duplicates: 0, deadLettered: 0 });
    expect((await app.inject({ method: 'POST', url: '/v1/events/usage', headers, payload: { events: batch } })).json()).toEqual({ accepted: 0, duplicates: 2, deadLettered: 0 });
    expect((await app.inject({ method: 'GET', url: summaryUrl('org-b'), headers })).json().value).toBe(2);
  });
});

describe.each(backends)('the migration to per-organisation idempotency on $name', ({ postgres }) => {
  it('keeps the events stored before it', async () => {
    const url = postgres ? (process.env.TEST_DATABASE_URL as string) : `sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-billing-')), 'lift.db')}`;
    const database = await openDatabase<BillingTables>({ location: databaseLocation(url, 'billing', testSchemaName('billing')) });
    try {
      const before = Object.fromEntries(Object.entries(billingMigrations).filter(([name]) => name < '0007'));
      await migrateToLatest(database, before);
      const row = { id: 'old-1', organisation_id: 'org-a', metric: 'api_calls', quantity: 4, occurred_at: '2026-11-28T09:00:00.000Z', properties: '{}', received_at: '2026-11-28T09:00:01.000Z' };
      await database.db.insertInto('usage_events').values(row).execute();
      expect(await migrateToLatest(database, billingMigrations)).toEqual(['0007_usage_idempotency_per_organisation']);
      const kept = await database.db.selectFrom('usage_events').selectAll().execute();
      expect(kept.map((stored) => ({ ...stored, quantity: Number(stored.quantity) }))).toEqual([row]);
      await database.db.insertInto('usage_events').values({ ...row, organisation_id: 'org-b' }).execute();
      const again = await database.db.insertInto('usage_events').values(row).execute().catch((error: unknown) => error);
      expect(isUniqueViolation(again)).toBe(true);
    } finally {
      await database.close();
    }
  });
});
