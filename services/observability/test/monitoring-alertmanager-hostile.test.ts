import { describe, expect, it } from 'vitest';
import { alertmanagerPost } from './alertmanager-fixture.js';
import { backends, buildMonitoring, platformAdmin, serviceToken, tenantAdmin } from './helper.js';

describe.each(backends)('Alertmanager webhook refusals on $name', (backend) => {
  it('answers hostile payloads 400 naming the field, never 500, and stores nothing of them', async () => {
    const { app } = await buildMonitoring({ postgres: backend.postgres });
    const headers = await serviceToken('alertmanager', ['observability:alertmanager']);
    const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/alertmanager/webhook', headers, payload: payload as Record<string, unknown> });
    const valid = alertmanagerPost([{}]);
    const alertOf = (changes: Record<string, unknown>) => ({ ...valid, alerts: [{ ...(valid.alerts as Record<string, unknown>[])[0], ...changes }] });
    const { fingerprint: _dropped, ...withoutFingerprint } = (valid.alerts as Record<string, unknown>[])[0] as Record<string, unknown>;
    const cases: [string, unknown, string, string][] = [
      ['no alerts field', { ...valid, alerts: undefined }, 'REQUEST_VALIDATION_FAILED', 'body.alerts'],
      ['an alert without fingerprint', { ...valid, alerts: [withoutFingerprint] }, 'REQUEST_VALIDATION_FAILED', 'body.alerts[0].fingerprint'],
      ['another payload version', { ...valid, version: '3' }, 'REQUEST_VALIDATION_FAILED', 'body.version'],
      ['501 alerts', { ...valid, alerts: Array.from({ length: 501 }, () => (valid.alerts as unknown[])[0]) }, 'REQUEST_VALIDATION_FAILED', 'body.alerts'],
      ['a date that does not exist', alertOf({ startsAt: '2026-02-30T10:00:00Z' }), 'OBSERVABILITY_ALERTMANAGER_PAYLOAD_INVALID', 'body.alerts[0].startsAt'],
      ['no date at all', alertOf({ endsAt: 'yesterday' }), 'OBSERVABILITY_ALERTMANAGER_PAYLOAD_INVALID', 'body.alerts[0].endsAt'],
      ['a NUL in a label value', alertOf({ labels: { alertname: 'X', service: 'bil\u0000ling' } }), 'OBSERVABILITY_ALERTMANAGER_PAYLOAD_INVALID', 'body.alerts[0].labels.service'],
      ['a NUL in a label name', alertOf({ labels: { 'alert\u0000name': 'X' } }), 'OBSERVABILITY_ALERTMANAGER_PAYLOAD_INVALID', 'body.alerts[0].labels'],
      ['a 1 MB annotation', alertOf({ annotations: { description: 'x'.repeat(1_000_000) } }), 'REQUEST_VALIDATION_FAILED', 'body.alerts[0].annotations.description'],
      ['a status that is neither', alertOf({ status: 'pending' }), 'REQUEST_VALIDATION_FAILED', 'body.alerts[0].status'],
      ['labels that are no object', alertOf({ labels: ['alertname'] }), 'REQUEST_VALIDATION_FAILED', 'body.alerts[0].labels'],
    ];
    for (const [name, payload, code, field] of cases) {
      const answer = await post(payload);
      expect({ name, status: answer.statusCode }).toEqual({ name, status: 400 });
      const problem = answer.json() as { code: string; field?: string; errors?: { field: string }[] };
      expect({ name, code: problem.code }).toEqual({ name, code });
      const fields = [problem.field, ...(problem.errors ?? []).map((error) => error.field)];
      expect({ name, named: fields.includes(field) }).toEqual({ name, named: true });
    }
    const admin = await platformAdmin();
    expect((await app.inject({ method: 'GET', url: '/v1/alerts', headers: admin })).json()).toMatchObject({ items: [] });
  });

  it('refuses tenants, other services and anonymous callers before reading the body', async () => {
    const { app } = await buildMonitoring({ postgres: backend.postgres });
    const payload = alertmanagerPost([{}]);
    const callers = [await tenantAdmin(), await serviceToken('registry', ['registry:read', 'observability:read']), await serviceToken('prometheus', ['registry:read']), await platformAdmin()];
    for (const headers of callers) {
      const answer = await app.inject({ method: 'POST', url: '/v1/alertmanager/webhook', headers, payload });
      expect(answer.statusCode).toBe(403);
      expect(answer.json()).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'observability:alertmanager' });
    }
    // Over the body limit but anonymous: 401, not 413 — the body was never read.
    const anonymous = await app.inject({ method: 'POST', url: '/v1/alertmanager/webhook', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(5 * 1024 * 1024) });
    expect(anonymous.statusCode).toBe(401);
  });
});
