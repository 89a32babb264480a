import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildObservability, platformViewer, serviceToken } from './helper.js';
import { ndjson, searchLogs } from './logs-fixture.js';

const time = '2026-11-28T08:30:00.000Z';

describe('log batch encodings, types and strict values', () => {
  it('decodes gzip within LOG_BATCH_MAX_BYTES, refuses other encodings and types by name, a non-finite reqId, and a cursor of three numbers', async () => {
    const { app } = await buildObservability({ env: { LOG_BATCH_MAX_BYTES: '65536' } });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    const post = (payload: string | Buffer, headers: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/logs', headers: { ...shipper, 'content-type': 'application/x-ndjson', ...headers }, payload });

    const zipped = await post(gzipSync(ndjson([{ time, service: 'auth', msg: 'zipped one' }, { time, service: 'auth', msg: 'zipped two' }])), { 'content-encoding': 'gzip' });
    expect(zipped.statusCode).toBe(202);
    expect(zipped.json()).toEqual({ accepted: 2, rejected: [] });

    // 20 MB of newlines compress to ~20 KB: the decompressed size meets the limit, not memory.
    const bomb = await post(gzipSync(Buffer.alloc(20_000_000, '\n')), { 'content-encoding': 'gzip' });
    expect(bomb.statusCode).toBe(413);
    expect(bomb.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_BATCH_TOO_LARGE', limit: 'LOG_BATCH_MAX_BYTES' });
    const notGzip = await post('{"service":"auth"}', { 'content-encoding': 'gzip' });
    expect(notGzip.statusCode).toBe(400);

    const brotli = await post('{"service":"auth"}', { 'content-encoding': 'br' });
    expect(brotli.statusCode).toBe(415);
    expect(brotli.json().detail).toContain('br');
    const text = await post('{"service":"auth"}', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json().detail).toContain('application/x-ndjson');

    const infinite = await post(`{"time":"${time}","service":"auth","msg":"huge id","reqId":1e400}\n{"time":"${time}","service":"auth","msg":"numeric id","reqId":42}`, {});
    expect(infinite.json()).toEqual({ accepted: 1, rejected: [expect.objectContaining({ index: 0, code: 'OBSERVABILITY_LOG_LINE_INVALID', problem: expect.stringContaining('reqId') })] });
    const viewer = await platformViewer();
    expect((await searchLogs(app, viewer, 'requestId=Infinity')).json().items).toEqual([]);
    expect((await searchLogs(app, viewer, 'requestId=42')).json().items).toHaveLength(1);

    const threeNumbers = Buffer.from(JSON.stringify([1, 2, 3])).toString('base64url');
    const cursor = await searchLogs(app, viewer, `cursor=${threeNumbers}`);
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().code).toBe('OBSERVABILITY_LOG_INVALID_CURSOR');
    expect((await searchLogs(app, viewer, `cursor=${Buffer.from(JSON.stringify([Date.parse(time) + 1, 1])).toString('base64url')}`)).statusCode).toBe(200);
    await app.close();
  });
});
