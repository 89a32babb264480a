import { describe, expect, it } from 'vitest';
import { backends, buildObservability, platformViewer, serviceToken } from './helper.js';
import { ndjson, postNdjson, searchLogs } from './logs-fixture.js';

const time = '2026-11-28T08:30:00.000Z';

describe.each(backends)('hostile log input on $name', ({ postgres }) => {
  it('names each bad line of a batch, stores the rest, and never answers 5xx', async () => {
    const { app } = await buildObservability({ postgres, env: { LOG_LINE_MAX_BYTES: '65536' } });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    const rows = [
      JSON.stringify({ time, service: 'auth', msg: 'nul \u0000 inside', reqId: 'r-nul', note: 'a\u0000b', ['k\u0000']: 1 }),
      JSON.stringify({ time, service: 'auth', msg: 'x'.repeat(1_048_576) }),
      `{"time":"${time}","service":"auth","msg":"deep","fields":${'{"deep":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
      '42',
      '"a string"',
      '[1,2]',
      'null',
      '{"service":"auth","msg":',
      JSON.stringify({ time, service: 'auth', level: 'verbose', msg: 'unknown level' }),
      JSON.stringify({ time: 'yesterday', service: 'auth', msg: 'bad time' }),
      JSON.stringify({ time, msg: 'no service' }),
      JSON.stringify({ time: 1e20, service: 'auth', msg: 'far future' }),
      JSON.stringify({ time, service: 'auth', level: 70, msg: 'level above fatal' }),
      JSON.stringify({ time, service: 'auth', reqId: { id: 1 }, msg: 'object request id' }),
      '',
      JSON.stringify({ time, service: 'auth', level: 'ERROR', msg: 'a good line at the end' }),
    ];
    // A BOM first and CRLF endings, as a Windows producer writes them.
    const answer = await postNdjson(app, shipper, `\uFEFF${rows.join('\r\n')}\r\n`);
    expect(answer.statusCode).toBe(202);
    const body = answer.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((line: { index: number }) => line.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(body.rejected[0]).toMatchObject({ code: 'OBSERVABILITY_LOG_LINE_TOO_LARGE', problem: expect.stringContaining('LOG_LINE_MAX_BYTES') });
    expect(body.rejected.slice(1).every((line: { code: string }) => line.code === 'OBSERVABILITY_LOG_LINE_INVALID')).toBe(true);
    expect(body.rejected.find((line: { index: number }) => line.index === 8).problem).toContain('level');
    expect(body.rejected.find((line: { index: number }) => line.index === 9).problem).toContain('time');
    expect(body.rejected.find((line: { index: number }) => line.index === 10).problem).toContain('service');

    const viewer = await platformViewer();
    const stored = (await searchLogs(app, viewer, '')).json().items;
    expect(stored.map((item: { msg: string }) => item.msg)).toEqual(['a good line at the end', 'nul \uFFFD inside']);
    expect(stored[0].level).toBe('error');
    expect(stored[1].fields).toEqual({ note: 'a\u0000b', ['k\u0000']: 1 });
    expect((await searchLogs(app, viewer, 'requestId=r-nul')).json().items).toHaveLength(1);
  });

  it('refuses an empty body, a body of no lines and a batch over its line or byte limit, storing nothing', async () => {
    const { app } = await buildObservability({ postgres, env: { LOG_BATCH_MAX_LINES: '100', LOG_BATCH_MAX_BYTES: '20000' } });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    const empty = await postNdjson(app, shipper, '');
    expect(empty.statusCode).toBe(400);
    const blank = await postNdjson(app, shipper, '\n\r\n  \n');
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_BATCH_EMPTY', field: 'body' });
    const noItems = await app.inject({ method: 'POST', url: '/v1/logs', headers: shipper, payload: { items: [] } });
    expect(noItems.json().code).toBe('OBSERVABILITY_LOG_BATCH_EMPTY');
    const line = { time, service: 'auth', msg: 'm' };
    const tooMany = await postNdjson(app, shipper, ndjson(Array.from({ length: 101 }, () => line)));
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_BATCH_TOO_LARGE', limit: 'LOG_BATCH_MAX_LINES' });
    const tooManyItems = await app.inject({ method: 'POST', url: '/v1/logs', headers: shipper, payload: { items: Array.from({ length: 101 }, () => line) } });
    expect(tooManyItems.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_BATCH_TOO_LARGE', limit: 'LOG_BATCH_MAX_LINES' });
    const tooBig = await postNdjson(app, shipper, ndjson(Array.from({ length: 50 }, () => ({ ...line, msg: 'y'.repeat(500) }))));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_BATCH_TOO_LARGE', limit: 'LOG_BATCH_MAX_BYTES' });
    expect((await searchLogs(app, await platformViewer(), '')).json().items).toEqual([]);
    const plain = await app.inject({ method: 'POST', url: '/v1/logs', headers: { ...shipper, 'content-type': 'text/plain' }, payload: 'x' });
    expect(plain.statusCode).toBe(415);
  });

  it('treats query syntax as words, request ids as exact, and refuses unknown filter values naming the field', async () => {
    const { app } = await buildObservability({ postgres });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    await postNdjson(app, shipper, ndjson([
      { time, service: 'auth', reqId: 'req_1%', msg: 'token NEAR expiry (refresh) - "quoted" *star*' },
      { time, service: 'auth', reqId: 'req_12', msg: 'other line' },
      { time, service: 'auth', reqId: 'reqA1x', msg: 'third line' },
    ]));
    const viewer = await platformViewer();
    for (const q of ['"quoted', 'NEAR(token expiry)', 'token*', '-refresh', '(refresh) OR', 'token AND NOT', '"', 'star*', 'NEAR/2', '\'; drop table log_lines; --']) {
      const answer = await searchLogs(app, viewer, `q=${encodeURIComponent(q)}`);
      expect(answer.statusCode, q).toBeLessThan(500);
    }
    expect((await searchLogs(app, viewer, `q=${encodeURIComponent('NEAR(token expiry)')}`)).json().items).toHaveLength(1);
    const symbols = await searchLogs(app, viewer, `q=${encodeURIComponent('*()"-')}`);
    expect(symbols.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_FILTER_INVALID', field: 'querystring.q' });
    expect((await searchLogs(app, viewer, `requestId=${encodeURIComponent('req_1%')}`)).json().items.map((item: { reqId: string }) => item.reqId)).toEqual(['req_1%']);
    expect((await searchLogs(app, viewer, `requestId=${encodeURIComponent('req%')}`)).json().items).toEqual([]);
    expect((await searchLogs(app, viewer, 'requestId=req_1_')).json().items).toEqual([]);

    const refusals: [string, string][] = [
      ['level=verbose', 'querystring.level'],
      ['level=70', 'querystring.level'],
      ['from=yesterday', 'querystring.from'],
      ['to=2026-02-30T00:00:00Z', 'querystring.to'],
      [`from=${encodeURIComponent('2026-11-28T10:00:00Z')}&to=${encodeURIComponent('2026-11-28T09:00:00Z')}`, 'querystring.from'],
      ['cursor=garbage', 'querystring.cursor'],
      ['limit=0', 'querystring.limit'],
      ['limit=10001', 'querystring.limit'],
      ['colour=red', 'querystring.colour'],
    ];
    for (const [query, field] of refusals) {
      const answer = await searchLogs(app, viewer, query);
      expect(answer.statusCode, query).toBe(400);
      const body = answer.json();
      expect(body.field ?? body.errors?.map((error: { field: string }) => error.field).join(' '), query).toContain(field);
    }
  });
});
