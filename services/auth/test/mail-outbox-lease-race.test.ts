// Review of issue #19: concurrent leaseDue from several store instances (separate connections) on one outbox.
import { afterAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { databaseLocation, openDatabase, type Database } from '@lift/kit';
import type { AuthTables } from '../src/tables.js';
import { mailOutboxStore } from '../src/store/mail-outbox-store.js';
import { backends, buildAuth } from './helper.js';

const opened: Database<AuthTables>[] = [];
afterAll(async () => {
  for (const database of opened) await database.close();
});

const iso = (ms: number) => new Date(ms).toISOString();
const t0 = Date.parse('2030-01-01T00:00:00.000Z');

describe.each(backends)('mail outbox leases under concurrency ($name)', ({ postgres }) => {
  async function replicas(count: number) {
    const auth = await buildAuth({ postgres, appSendsMail: false });
    const dbs: Kysely<AuthTables>[] = [auth.db];
    for (let index = 1; index < count; index += 1) {
      const database = await openDatabase<AuthTables>({ location: databaseLocation(auth.storage.databaseUrl, 'auth', auth.storage.schema), postgresPoolSize: 4 });
      opened.push(database);
      dbs.push(database.db);
    }
    await auth.db.deleteFrom('mail_outbox').execute();
    return { db: auth.db, stores: dbs.map((db) => mailOutboxStore(db)) };
  }

  it('never leases one message to two replicas, loses none, and keeps due order and the limit', async () => {
    const { db, stores } = await replicas(4);
    const [first] = stores;
    const total = 200;
    for (let index = 0; index < total; index += 1) {
      // Queued in reverse due order, so the order of the lease is visible.
      await first?.queue(`m${String(index).padStart(3, '0')}`, { kind: 'k', to: `p${index}@x.test`, subject: 's', text: 't' }, iso(t0 - index * 1000));
    }
    const taken = new Map<string, number>();
    const now = iso(t0 + 1000);
    // Rounds until every message was leased: with SKIP LOCKED a lease passes over the rows the
    // others hold at that moment, so under load (CI) twenty rounds once left 25 of 200 untaken.
    for (let round = 0; round < 200 && taken.size < total; round += 1) {
      const results = await Promise.all(stores.flatMap((store) => [store.leaseDue(now, iso(t0 + 60_000), 7), store.leaseDue(now, iso(t0 + 60_000), 7)]));
      for (const leased of results) {
        expect(leased.length).toBeLessThanOrEqual(7);
        const order = leased.map((mail) => mail.id);
        // Oldest due first (ids were queued with due times decreasing).
        expect(order).toEqual([...order].sort().reverse());
        for (const mail of leased) taken.set(mail.id, (taken.get(mail.id) ?? 0) + 1);
      }
    }
    expect([...taken.values()].filter((count) => count > 1)).toEqual([]);
    expect(taken.size).toBe(total);
    const unleased = await db.selectFrom('mail_outbox').select('id').where('lease_until', 'is', null).execute();
    expect(unleased).toEqual([]);
  });

  it('does not take a message before next_attempt_at, after it was sent or abandoned, or while leased', async () => {
    const { stores } = await replicas(3);
    const [first] = stores;
    const text = { kind: 'k', subject: 's', text: 't' };
    await first?.queue('later', { ...text, to: 'a@x.test' }, iso(t0 + 10_000));
    await first?.queue('sent', { ...text, to: 'b@x.test' }, iso(t0));
    await first?.markSent('sent', iso(t0));
    await first?.queue('gone', { ...text, to: 'c@x.test' }, iso(t0));
    await first?.markAbandoned('gone', 3, iso(t0), 'no');
    await first?.queue('failed', { ...text, to: 'd@x.test' }, iso(t0));
    await first?.markFailed('failed', 1, iso(t0 + 60_000), 'busy');
    await first?.queue('leased', { ...text, to: 'e@x.test' }, iso(t0));
    expect((await first?.leaseDue(iso(t0), iso(t0 + 120_000), 20))?.map((mail) => mail.id)).toEqual(['leased']);
    const again = await Promise.all(stores.map((store) => store.leaseDue(iso(t0 + 5_000), iso(t0 + 125_000), 20)));
    expect(again.flat()).toEqual([]);
    // The lease runs out: taken again, by exactly one replica.
    const later = await Promise.all(stores.map((store) => store.leaseDue(iso(t0 + 120_000), iso(t0 + 240_000), 20)));
    expect(later.flat().map((mail) => mail.id).sort()).toEqual(['failed', 'later', 'leased']);
  });

  it('does not lease a message that another sender fails or abandons while a replica is leasing', async () => {
    const { stores } = await replicas(4);
    const [first] = stores;
    for (let round = 0; round < 30; round += 1) {
      const id = `r${round}`;
      const now = t0 + round * 1_000_000;
      await first?.queue(id, { kind: 'k', to: 'z@x.test', subject: 's', text: 't' }, iso(now));
      // One replica fails it (as a sender that had it leased would), the others try to lease it at the same time.
      const [, ...leases] = await Promise.all([
        round % 2 === 0 ? first?.markFailed(id, 1, iso(now + 60_000), 'busy') : first?.markAbandoned(id, 30, iso(now), 'gone'),
        ...stores.slice(1).map((store) => store.leaseDue(iso(now), iso(now + 120_000), 20)),
      ]);
      const leasedAfter = (leases as { id: string }[][]).flat().filter((mail) => mail.id === id);
      // Either a replica leased it before the failure was written (then the failure overwrote the lease),
      // or nobody did: never two.
      expect(leasedAfter.length).toBeLessThanOrEqual(1);
    }
  });
});
