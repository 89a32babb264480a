import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { defaultTokenIssuer } from '@lift/kit';
import { testEpoch } from '../../../tests/support/manual-clock.js';
import { backends, buildObservability, platformAdmin, platformViewer, serviceToken, tenantAdmin } from './helper.js';
import { ndjson, postNdjson, searchLogs } from './logs-fixture.js';

const time = '2026-11-28T08:30:00.000Z';

/** A module's delegated token (token exchange: `act.sub` names the module) for a person of org-a. */
async function delegatedToken(permissions: string[]) {
  const at = Math.floor(testEpoch / 1000);
  const token = await new SignJWT({ org: 'org-a', roles: [], perms: permissions, act: { sub: 'module:causal' } })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setSubject('user-1')
    .setIssuer(defaultTokenIssuer)
    .setAudience('lift-os')
    .setIssuedAt(at)
    .setExpirationTime(at + 3_600)
    .setJti('delegated-1')
    .sign(new TextEncoder().encode('observability tests sign their own HS256 tokens here'));
  return { authorization: `Bearer ${token}` };
}

describe.each(backends)('who reads which log lines on $name', ({ postgres }) => {
  it('shows the platform every line, a tenant admin only its organisation\'s, a module\'s token none', async () => {
    const { app } = await buildObservability({ postgres });
    const shipper = await serviceToken('log-shipper', ['observability:ingest']);
    await postNdjson(app, shipper, ndjson([
      { time, service: 'gateway', reqId: 'req-a', org: 'org-a', msg: 'request for a' },
      { time, service: 'memory', reqId: 'req-a', org: 'org-a', msg: 'memory stored for a' },
      { time, service: 'gateway', reqId: 'req-b', org: 'org-b', msg: 'request for b' },
      { time, service: 'auth', msg: 'platform line without organisation' },
    ]));
    for (const headers of [await platformAdmin(), await platformViewer()]) {
      expect((await searchLogs(app, headers, '')).json().items).toHaveLength(4);
      expect((await searchLogs(app, headers, 'org=org-b')).json().items.map((item: { reqId: string }) => item.reqId)).toEqual(['req-b']);
    }
    const adminOfA = await tenantAdmin('org-a');
    expect((await searchLogs(app, adminOfA, '')).json().items.map((item: { msg: string }) => item.msg).sort()).toEqual(['memory stored for a', 'request for a']);
    expect((await searchLogs(app, adminOfA, 'requestId=req-b')).json().items).toEqual([]);
    expect((await searchLogs(app, adminOfA, 'q=request')).json().items.map((item: { reqId: string }) => item.reqId)).toEqual(['req-a']);
    expect((await searchLogs(app, adminOfA, 'org=org-a')).json().items).toHaveLength(2);
    const other = await searchLogs(app, adminOfA, 'org=org-b');
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'OBSERVABILITY_LOGS_FORBIDDEN', field: 'querystring.org' });

    const delegated = await searchLogs(app, await delegatedToken(['org:admin', 'observability:read']), '');
    expect(delegated.statusCode).toBe(403);
    expect(delegated.json().code).toBe('OBSERVABILITY_LOGS_FORBIDDEN');
    expect((await app.inject({ method: 'GET', url: '/v1/logs/stream', headers: await delegatedToken(['observability:read']) })).statusCode).toBe(403);
    const member = await serviceToken('billing', ['memory:read']);
    expect((await searchLogs(app, member, '')).statusCode).toBe(403);
    expect((await searchLogs(app, {}, '')).statusCode).toBe(401);
  });

  it('takes batches only from a token with observability:ingest', async () => {
    const { app } = await buildObservability({ postgres });
    const body = ndjson([{ time, service: 'auth', msg: 'forged' }]);
    const refused = await postNdjson(app, await platformAdmin(), body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('AUTH_PERMISSION_MISSING');
    expect((await postNdjson(app, {}, body)).statusCode).toBe(401);
    expect((await searchLogs(app, await platformViewer(), '')).json().items).toEqual([]);
  });
});
