import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { backends, buildObservability, platformViewer, tenantAdmin } from './helper.js';
import { searchLogs } from './logs-fixture.js';

// Regression: on PostgreSQL a NUL in a filter reached the query: 500 `invalid byte sequence for encoding "UTF8": 0x00`.
describe.each(backends)('a NUL character in a log filter on $name', ({ postgres }) => {
  it('is a 400 naming the field, for the search and the tail, for the platform and a tenant', async () => {
    const { app } = await buildObservability({ postgres });
    const platform = await platformViewer();
    const tenant = await tenantAdmin('org-a');
    for (const [query, field] of [
      ['requestId=%00', 'requestId'],
      ['traceId=a%00b', 'traceId'],
      ['service=%00', 'service'],
      ['org=%00', 'org'],
    ] as const) {
      const answer = await searchLogs(app, platform, query);
      expect(answer.statusCode, query).toBe(400);
      expect(answer.json(), query).toMatchObject({ code: 'OBSERVABILITY_LOG_FILTER_INVALID', field: `querystring.${field}` });
    }
    const tenantAnswer = await searchLogs(app, tenant, 'requestId=req%00x');
    expect(tenantAnswer.statusCode).toBe(400);
    expect(tenantAnswer.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_FILTER_INVALID', field: 'querystring.requestId' });
    // q: NUL is not a letter or digit, so it separates words like any punctuation.
    expect((await searchLogs(app, platform, 'q=token%00expired')).statusCode).toBe(200);
    expect((await searchLogs(app, platform, 'q=%00')).json()).toMatchObject({ code: 'OBSERVABILITY_LOG_FILTER_INVALID', field: 'querystring.q' });

    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const tail = await fetch(`http://127.0.0.1:${port}/v1/logs/stream?traceId=a%00b`, { headers: tenant });
    expect(tail.status).toBe(400);
    expect(await tail.json()).toMatchObject({ code: 'OBSERVABILITY_LOG_FILTER_INVALID', field: 'querystring.traceId' });
    await app.close();
  });
});
