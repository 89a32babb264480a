import { describe, expect, it } from 'vitest';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { alertmanagerPost } from './alertmanager-fixture.js';
import { backends, buildMonitoring, platformAdmin, serviceToken, startPlatformStandIns } from './helper.js';

interface Alert {
  id: string;
  source: string;
  ruleId: string | null;
  ruleName: string;
  kind: string | null;
  target: string;
  severity: string;
  state: string;
  summary: string;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
  alertmanager: { fingerprint: string; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string | null } | null;
}

describe.each(backends)('Alertmanager webhook on $name', (backend) => {
  const setUp = async () => {
    const { env } = await startPlatformStandIns();
    const unit = await buildMonitoring({ postgres: backend.postgres, env });
    const alertmanager = await serviceToken('alertmanager', ['observability:alertmanager']);
    const admin = await platformAdmin();
    const post = (payload: Record<string, unknown>) => unit.app.inject({ method: 'POST', url: '/v1/alertmanager/webhook', headers: alertmanager, payload });
    const alerts = async (): Promise<Alert[]> => ((await unit.app.inject({ method: 'GET', url: '/v1/alerts', headers: admin })).json() as { items: Alert[] }).items.filter((alert) => alert.source === 'alertmanager');
    return { ...unit, admin, post, alerts };
  };

  it('maps a firing alert into the list, refreshes it on a repeat and resolves it when Alertmanager does', async () => {
    const { post, alerts, clock } = await setUp();
    const first = await post(alertmanagerPost([{}]));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ opened: 1, refreshed: 0, resolved: 0, unchanged: 0 });
    const [alert, ...others] = await alerts();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      source: 'alertmanager',
      ruleId: null,
      kind: null,
      ruleName: 'LiftServiceDown',
      target: 'billing',
      severity: 'critical',
      state: 'firing',
      summary: 'billing is down',
      alertmanager: { fingerprint: 'a1b2c3d4e5f60718', startsAt: '2026-11-28T10:00:00.123Z', endsAt: null, labels: { job: 'lift-billing' }, annotations: { description: 'billing has not answered /metrics for a minute.' } },
    });

    clock.advance(60_000);
    const repeat = await post(alertmanagerPost([{ annotations: { summary: 'billing is still down' } }]));
    expect(repeat.json()).toMatchObject({ opened: 0, refreshed: 1 });
    expect((await alerts()).map((entry) => [entry.id, entry.summary])).toEqual([[alert?.id, 'billing is still down']]);

    const resolved = await post(alertmanagerPost([{ status: 'resolved', endsAt: '2026-11-28T10:05:00Z' }], 'resolved'));
    expect(resolved.json()).toMatchObject({ resolved: 1 });
    expect(await alerts()).toEqual([expect.objectContaining({ id: alert?.id, state: 'resolved', resolvedBy: 'alertmanager', alertmanager: expect.objectContaining({ endsAt: '2026-11-28T10:05:00.000Z' }) })]);
    // Alertmanager's retry of the same resolution changes nothing; nor does a late retry of the firing.
    expect((await post(alertmanagerPost([{ status: 'resolved', endsAt: '2026-11-28T10:05:00Z' }], 'resolved'))).json()).toMatchObject({ unchanged: 1 });
    expect((await post(alertmanagerPost([{}]))).json()).toMatchObject({ opened: 0, unchanged: 1 });
    expect(await alerts()).toHaveLength(1);

    // Firing again after the resolution (a new startsAt) is a new alert.
    const again = await post(alertmanagerPost([{ startsAt: '2026-11-28T11:00:00Z' }]));
    expect(again.json()).toMatchObject({ opened: 1 });
    const [newest, oldest] = await alerts();
    expect(newest).toMatchObject({ state: 'firing', alertmanager: { startsAt: '2026-11-28T11:00:00.000Z' } });
    expect(newest?.id).not.toBe(oldest?.id);
  });

  // Review of issue #16: A fires, B fires (A's resolution lost: the open alert moved on to B), B
  // resolves — then a late retry of A's firing opened a new alert nothing would ever resolve.
  it('does not reopen an earlier occurrence once a later one is known', async () => {
    const { post, alerts, clock } = await setUp();
    expect((await post(alertmanagerPost([{ startsAt: '2026-11-28T10:00:00Z' }]))).json()).toMatchObject({ opened: 1 });
    clock.advance(60_000);
    expect((await post(alertmanagerPost([{ startsAt: '2026-11-28T10:30:00Z' }]))).json()).toMatchObject({ refreshed: 1 });
    expect((await post(alertmanagerPost([{ status: 'resolved', startsAt: '2026-11-28T10:30:00Z', endsAt: '2026-11-28T10:40:00Z' }], 'resolved'))).json()).toMatchObject({ resolved: 1 });
    expect((await post(alertmanagerPost([{ startsAt: '2026-11-28T10:00:00Z' }]))).json()).toEqual({ opened: 0, refreshed: 0, resolved: 0, unchanged: 1 });
    expect((await alerts()).map((alert) => alert.state)).toEqual(['resolved']);
  });

  it('opens one alert when Alertmanager posts the same payload in parallel', async () => {
    const { post, alerts } = await setUp();
    const payload = alertmanagerPost([{}, { fingerprint: '0000000000000001', labels: { alertname: 'LiftHighLatency', job: 'lift-gateway', severity: 'page' }, annotations: { description: 'slow' } }]);
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(payload)));
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(8).fill(200));
    const opened = answers.reduce((sum, answer) => sum + (answer.json() as { opened: number }).opened, 0);
    expect(opened).toBe(2);
    const held = await alerts();
    expect(held).toHaveLength(2);
    // No service label: the job names the target; an unknown severity is a warning; no summary: the description.
    expect(held.find((alert) => alert.ruleName === 'LiftHighLatency')).toMatchObject({ target: 'lift-gateway', severity: 'warning', summary: 'slow' });
  });

  it('is acknowledged and resolved like any alert; a manual resolution holds while Alertmanager repeats that occurrence', async () => {
    const { app, post, alerts, admin, clock } = await setUp();
    await post(alertmanagerPost([{}]));
    const [alert] = await alerts();
    const acknowledged = await app.inject({ method: 'POST', url: `/v1/alerts/${alert?.id}/acknowledge`, headers: admin });
    expect(acknowledged.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'platform-admin-1' });
    // A repeat leaves it acknowledged.
    expect((await post(alertmanagerPost([{}]))).json()).toMatchObject({ refreshed: 1 });
    expect((await alerts())[0]).toMatchObject({ state: 'acknowledged' });

    const resolved = await app.inject({ method: 'POST', url: `/v1/alerts/${alert?.id}/resolve`, headers: admin });
    expect(resolved.json()).toMatchObject({ state: 'resolved', resolvedBy: 'platform-admin-1' });
    expect((await post(alertmanagerPost([{}]))).json()).toMatchObject({ opened: 0, unchanged: 1 });
    expect(await alerts()).toEqual([expect.objectContaining({ id: alert?.id, state: 'resolved' })]);
    // Its end and a later occurrence: a new alert.
    clock.advance(60_000);
    await post(alertmanagerPost([{ status: 'resolved', endsAt: '2026-11-28T10:05:00Z' }], 'resolved'));
    expect((await post(alertmanagerPost([{ startsAt: '2026-11-28T12:00:00Z' }]))).json()).toMatchObject({ opened: 1 });
    expect((await alerts()).map((entry) => entry.state)).toEqual(['firing', 'resolved']);
  });

  it('is never resolved by the rules\' evaluator, and notifies no channel', async () => {
    const { app, post, alerts, admin, clock } = await setUp();
    const receiver = await startStandIn((_request, response) => sendJson(response, 200, {}));
    // A rule with a channel that matches nothing Alertmanager sends: the evaluator runs, sends nothing.
    await app.inject({ method: 'POST', url: '/v1/alert-rules', headers: admin, payload: { name: 'Billing down', kind: 'service_down', target: 'billing', checks: 1, channels: [{ type: 'webhook', url: receiver.url }] } });
    await post(alertmanagerPost([{}]));
    for (let round = 0; round < 3; round += 1) {
      clock.advance(10_000);
      const report = await app.runMonitoringRound();
      await report.notifications;
    }
    const [alert] = await alerts();
    expect(alert).toMatchObject({ state: 'firing' });
    await app.inject({ method: 'POST', url: `/v1/alerts/${alert?.id}/resolve`, headers: admin });
    clock.advance(10_000);
    await (await app.runMonitoringRound()).notifications;
    expect((await app.inject({ method: 'GET', url: `/v1/alerts/${alert?.id}/deliveries`, headers: admin })).json()).toEqual({ items: [], nextCursor: null });
    expect(receiver.received).toEqual([]);
  });
});
