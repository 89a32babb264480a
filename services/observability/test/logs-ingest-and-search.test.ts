import { describe, expect, it } from 'vitest';
import { backends, buildObservability, platformViewer, serviceToken } from './helper.js';
import { ndjson, postNdjson, searchLogs } from './logs-fixture.js';

const at = (minutes: number) => new Date(Date.parse('2026-11-28T08:00:00Z') + minutes * 60_000).toISOString();

describe.each(backends)('log ingestion and search on $name', ({ postgres }) => {
  it('stores pino lines and finds them by request id, level, words, service and time, newest first', async () => {
    const { app } = await buildObservability({ postgres });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    const body = ndjson([
      { level: 30, time: Date.parse(at(0)), service: 'auth', version: '0.1.0', pid: 11, reqId: 'req-1', traceId: 'trace-1', org: 'org-a', msg: 'token issued for user', user: { id: 'u-1' } },
      { level: 'warn', time: at(1), service: 'memory', reqId: 'req-1', org: 'org-a', msg: 'embedding model slow' },
      { level: 50, time: at(2), service: 'gateway', reqId: 'req-2', msg: 'GET /v1/memories failed upstream' },
      { level: 20, time: at(3), service: 'gateway', reqId: 'req-3', msg: 'request completed' },
    ]);
    const answer = await postNdjson(app, shipper, body);
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toEqual({ accepted: 4, rejected: [] });

    const viewer = await platformViewer();
    const byRequest = (await searchLogs(app, viewer, 'requestId=req-1')).json();
    expect(byRequest.items.map((item: { service: string }) => item.service)).toEqual(['memory', 'auth']);
    expect(byRequest.items[1]).toEqual({ id: expect.any(String), time: at(0), service: 'auth', level: 'info', msg: 'token issued for user', reqId: 'req-1', traceId: 'trace-1', org: 'org-a', fields: { version: '0.1.0', pid: 11, user: { id: 'u-1' } } });
    expect(byRequest.nextCursor).toBeUndefined();

    const warnings = (await searchLogs(app, viewer, 'level=warn')).json();
    expect(warnings.items.map((item: { level: string }) => item.level)).toEqual(['error', 'warn']);
    const words = (await searchLogs(app, viewer, `q=${encodeURIComponent('memories FAILED')}`)).json();
    expect(words.items.map((item: { reqId: string }) => item.reqId)).toEqual(['req-2']);
    expect((await searchLogs(app, viewer, 'q=memories%20completed')).json().items).toEqual([]);
    const gateway = (await searchLogs(app, viewer, 'service=gateway&q=request')).json();
    expect(gateway.items.map((item: { reqId: string }) => item.reqId)).toEqual(['req-3']);
    const range = (await searchLogs(app, viewer, `from=${encodeURIComponent(at(1))}&to=${Date.parse(at(2))}`)).json();
    expect(range.items.map((item: { reqId: string }) => item.reqId)).toEqual(['req-2', 'req-1']);
    const traced = (await searchLogs(app, viewer, 'traceId=trace-1&q=token')).json();
    expect(traced.items.map((item: { msg: string }) => item.msg)).toEqual(['token issued for user']);
  });

  it('takes JSON items too, and walks every line once through the cursor, newest first', async () => {
    const { app } = await buildObservability({ postgres });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    // Several lines in one millisecond, and lines arriving out of order.
    const items = Array.from({ length: 25 }, (_, index) => ({ level: 30, time: Date.parse(at(index % 5)), service: 'registry', msg: `probe number ${index}` }));
    const answer = await app.inject({ method: 'POST', url: '/v1/logs', headers: shipper, payload: { items } });
    expect(answer.statusCode).toBe(202);
    expect(answer.json().accepted).toBe(25);
    const viewer = await platformViewer();
    const seen: { time: string; msg: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = (await searchLogs(app, viewer, `limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((item) => item.msg).sort()).toEqual(items.map((item) => item.msg).sort());
    const times = seen.map((item) => item.time);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('keeps the text of a line findable after more lines arrive in the same millisecond as older ones', async () => {
    const { app } = await buildObservability({ postgres });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    const time = Date.parse(at(0));
    await postNdjson(app, shipper, ndjson([{ time, service: 'auth', msg: 'first arrival' }]));
    await postNdjson(app, shipper, ndjson([{ time: time + 60_000, service: 'auth', msg: 'later line' }]));
    // A late line for an earlier millisecond: its key comes after the stored one of that millisecond.
    await postNdjson(app, shipper, ndjson([{ time, service: 'auth', msg: 'late arrival' }]));
    const all = (await searchLogs(app, await platformViewer(), '')).json();
    expect(all.items.map((item: { msg: string }) => item.msg)).toEqual(['later line', 'late arrival', 'first arrival']);
    expect((await searchLogs(app, await platformViewer(), 'q=arrival')).json().items).toHaveLength(2);
  });
});
