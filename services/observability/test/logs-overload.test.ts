import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, buildObservability, platformViewer, serviceToken } from './helper.js';
import { ndjson, postNdjson, searchLogs } from './logs-fixture.js';

const time = '2026-11-28T08:30:00.000Z';

describe.each(backends)('bounded log ingestion on $name', ({ postgres }) => {
  it('refuses a batch beyond the writers and the queue with 503 and Retry-After, storing nothing of it', async () => {
    const { app, db } = await buildObservability({ postgres, env: { LOG_INGEST_CONCURRENCY: '1', LOG_INGEST_QUEUE: '0' } });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    // Prime the store (SQLite reads its highest key once), then hold the table so the next batch waits in its writer.
    expect((await postNdjson(app, shipper, ndjson([{ time, service: 'auth', msg: 'first' }]))).statusCode).toBe(202);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction().execute(async (transaction) => {
      if (postgres) await sql`lock table log_lines in exclusive mode`.execute(transaction);
      locked();
      await held;
    });
    await lockTaken;
    const waiting = postNdjson(app, shipper, ndjson([{ time, service: 'auth', msg: 'second' }]));
    // Turns of the event loop (no timers) until the waiting batch's handler holds the only writer.
    for (let turn = 0; turn < 50; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    const refused = await postNdjson(app, shipper, ndjson([{ time, service: 'auth', msg: 'third' }]));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().code).toBe('OBSERVABILITY_LOGS_OVERLOADED');
    release();
    await holder;
    expect((await waiting).statusCode).toBe(202);
    const stored = (await searchLogs(app, await platformViewer(), '')).json().items.map((item: { msg: string }) => item.msg);
    expect(stored.sort()).toEqual(['first', 'second']);
  });
});
