import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, buildObservability, platformViewer, serviceToken } from './helper.js';
import { ndjson, postNdjson, searchLogs } from './logs-fixture.js';

const day = 86_400_000;

describe.each(backends)('log retention on $name', ({ postgres }) => {
  it('deletes lines older than LOG_RETENTION_DAYS, in chunks, from the table and the search index, on the service\'s clock', async () => {
    const { app, db, clock } = await buildObservability({ postgres, env: { LOG_RETENTION_DAYS: '7', LOG_RETENTION_CHUNK: '100' } });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    const now = clock.now();
    const old = Array.from({ length: 250 }, (_, index) => ({ time: now - 2 * day + index, service: 'auth', msg: `ancient event ${index}` }));
    const recent = Array.from({ length: 5 }, (_, index) => ({ time: now + index, service: 'auth', msg: `fresh event ${index}` }));
    expect((await postNdjson(app, shipper, ndjson([...old, ...recent]))).json().accepted).toBe(255);
    expect(await app.logRetention.runOnce()).toBe(0);

    clock.advance(6 * day);
    expect(await app.logRetention.runOnce()).toBe(250);
    const viewer = await platformViewer();
    expect((await searchLogs(app, viewer, 'q=ancient')).json().items).toEqual([]);
    expect((await searchLogs(app, viewer, 'q=event&limit=1000')).json().items).toHaveLength(5);
    if (!postgres) {
      // The FTS5 index holds no entry for a deleted row (integrity-check fails on one).
      await sql`insert into log_fts (log_fts, rank) values ('integrity-check', 1)`.execute(db);
    }
    clock.advance(2 * day);
    expect(await app.logRetention.runOnce()).toBe(5);
    expect((await searchLogs(app, viewer, '')).json().items).toEqual([]);
  });
});
