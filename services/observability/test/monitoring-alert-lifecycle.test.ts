import { describe, expect, it } from 'vitest';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { backends, buildMonitoring, platformAdmin, startPlatformStandIns } from './helper.js';

interface Alert {
  id: string;
  ruleId: string;
  target: string;
  state: string;
  severity: string;
  summary: string;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

describe.each(backends)('alert lifecycle on $name', (backend) => {
  it('fires once when a service is down for N checks, notifies a webhook and Slack, and resolves when it is back', async () => {
    const { services, env } = await startPlatformStandIns();
    const receiver = await startStandIn((_request, response) => sendJson(response, 200, { ok: true }));
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env });
    const headers = await platformAdmin();
    const created = await app.inject({
      method: 'POST',
      url: '/v1/alert-rules',
      headers,
      payload: { name: 'Registry down', kind: 'service_down', target: 'registry', checks: 2, severity: 'critical', channels: [{ type: 'webhook', url: `${receiver.url}/generic` }, { type: 'slack', url: `${receiver.url}/slack` }] },
    });
    const ruleId = (created.json() as { id: string }).id;
    const open = async () => ((await app.inject({ method: 'GET', url: '/v1/alerts?state=firing', headers })).json() as { items: Alert[] }).items.filter((alert) => alert.ruleId === ruleId);
    const round = async () => {
      clock.advance(10_000);
      const report = await app.runMonitoringRound();
      return { ...report, delivered: await report.notifications };
    };

    services.registry.health = 'reset';
    await round();
    expect(await open()).toEqual([]);
    await round();
    const [alert, ...others] = await open();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ target: 'registry', state: 'firing', severity: 'critical' });
    expect(alert?.summary).toMatch(/registry has not been up for 2 checks/);
    expect(receiver.received.map((request) => request.url).sort()).toEqual(['/generic', '/slack']);
    const generic = JSON.parse(receiver.received.find((request) => request.url === '/generic')?.body ?? '{}') as { type: string; deliveryId: string; alert: Alert };
    expect(generic).toMatchObject({ type: 'alert.firing', deliveryId: expect.any(String), alert: { id: alert?.id, target: 'registry', state: 'firing' } });
    const slack = JSON.parse(receiver.received.find((request) => request.url === '/slack')?.body ?? '{}') as { text: string };
    expect(slack.text).toMatch(/Registry down\* firing for `registry` \(critical\)/);

    // Still down: the same alert, no second notification.
    await round();
    expect((await open()).map((entry) => entry.id)).toEqual([alert?.id]);
    expect(receiver.received).toHaveLength(2);

    const acknowledged = await app.inject({ method: 'POST', url: `/v1/alerts/${alert?.id}/acknowledge`, headers });
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'platform-admin-1', acknowledgedAt: new Date(clock.now()).toISOString() });

    services.registry.health = 200;
    // Both this rule's alert and the default "Service down" rule's (3 checks) resolve; only this one has channels.
    expect(await round()).toMatchObject({ led: true, resolved: 2, delivered: 2 });
    const resolved = (await app.inject({ method: 'GET', url: `/v1/alerts/${alert?.id}`, headers })).json() as Alert;
    expect(resolved).toMatchObject({ state: 'resolved', resolvedBy: 'system', acknowledgedBy: 'platform-admin-1' });
    expect(receiver.received.slice(2).map((request) => (JSON.parse(request.body) as { type?: string; text?: string }).type ?? 'slack').sort()).toEqual(['alert.resolved', 'slack']);

    const log = (await app.inject({ method: 'GET', url: `/v1/alerts/${alert?.id}/deliveries`, headers })).json() as { items: { event: string; state: string; attempts: number; lastStatus: number; channel: { type: string; url: string } }[] };
    expect(log.items).toHaveLength(4);
    expect(log.items.every((delivery) => delivery.state === 'delivered' && delivery.attempts === 1 && delivery.lastStatus === 200)).toBe(true);
    expect(log.items.map((delivery) => delivery.event).sort()).toEqual(['firing', 'firing', 'resolved', 'resolved']);
    expect(log.items[0]?.channel.url).toBe(receiver.url);

    // A resolved alert cannot be acknowledged or resolved again.
    for (const action of ['acknowledge', 'resolve']) {
      const refused = await app.inject({ method: 'POST', url: `/v1/alerts/${alert?.id}/${action}`, headers });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'OBSERVABILITY_ALERT_RESOLVED' });
    }
    expect((await app.inject({ method: 'POST', url: '/v1/alerts/no-such-alert/acknowledge', headers })).json()).toMatchObject({ status: 404, code: 'OBSERVABILITY_ALERT_NOT_FOUND' });
  });

  it('says "1 check", not "1 checks", when a one-check rule fires', async () => {
    const { services, env } = await startPlatformStandIns();
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env });
    const headers = await platformAdmin();
    await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'Memory down', kind: 'service_down', target: 'memory', checks: 1 } });
    services.memory.health = 503;
    clock.advance(10_000);
    await app.runMonitoringRound();
    const [alert] = ((await app.inject({ method: 'GET', url: '/v1/alerts?state=firing', headers })).json() as { items: Alert[] }).items;
    expect(alert?.summary).toBe('memory has not been up for 1 check (down: /health answered 503)');
  });

  it('lets exactly one of two parallel acknowledgements win, and resolves by hand with who and when', async () => {
    const { services, env } = await startPlatformStandIns();
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env });
    const first = await platformAdmin({ subject: 'admin-a' });
    const second = await platformAdmin({ subject: 'admin-b' });
    services.billing.health = 503;
    for (let round = 0; round < 3; round += 1) {
      clock.advance(10_000);
      await app.runMonitoringRound();
    }
    const [alert] = ((await app.inject({ method: 'GET', url: '/v1/alerts?state=firing', headers: first })).json() as { items: Alert[] }).items;
    expect(alert).toMatchObject({ target: 'billing', state: 'firing' });

    const answers = await Promise.all([first, second, first, second].map((headers) => app.inject({ method: 'POST', url: `/v1/alerts/${alert?.id}/acknowledge`, headers })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect(answers.filter((answer) => answer.statusCode === 409).every((answer) => answer.json().code === 'OBSERVABILITY_ALERT_ALREADY_ACKNOWLEDGED')).toBe(true);

    clock.advance(1_000);
    const resolved = await app.inject({ method: 'POST', url: `/v1/alerts/${alert?.id}/resolve`, headers: second });
    expect(resolved.json()).toMatchObject({ state: 'resolved', resolvedBy: 'admin-b', resolvedAt: new Date(clock.now()).toISOString() });
    // Still down: the next evaluation opens a new alert rather than leaving it unseen.
    clock.advance(10_000);
    await app.runMonitoringRound();
    const reopened = ((await app.inject({ method: 'GET', url: '/v1/alerts?state=firing', headers: first })).json() as { items: Alert[] }).items;
    expect(reopened.map((entry) => entry.target)).toEqual(['billing']);
    expect(reopened[0]?.id).not.toBe(alert?.id);
  });

  it('pages alerts newest first and names a bad state filter or cursor', async () => {
    const { services, env } = await startPlatformStandIns();
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env });
    const headers = await platformAdmin();
    services.memory.health = 500;
    services.auth.health = 500;
    for (let round = 0; round < 3; round += 1) {
      clock.advance(10_000);
      await app.runMonitoringRound();
    }
    const firstPage = (await app.inject({ method: 'GET', url: '/v1/alerts?limit=1', headers })).json() as { items: Alert[]; nextCursor: string };
    expect(firstPage.items).toHaveLength(1);
    const secondPage = (await app.inject({ method: 'GET', url: `/v1/alerts?limit=1&cursor=${firstPage.nextCursor}`, headers })).json() as { items: Alert[]; nextCursor: string | null };
    expect(secondPage.items).toHaveLength(1);
    expect(secondPage.nextCursor).toBeNull();
    expect([firstPage.items[0]?.target, secondPage.items[0]?.target].sort()).toEqual(['auth', 'memory']);

    const badState = await app.inject({ method: 'GET', url: '/v1/alerts?state=open', headers });
    expect(badState.statusCode).toBe(400);
    expect(badState.json()).toMatchObject({ code: 'OBSERVABILITY_INVALID_FILTER', field: 'querystring.state' });
    expect(badState.json().detail).toContain('"open"');
    const badCursor = await app.inject({ method: 'GET', url: '/v1/alerts?cursor=bm90IGpzb24', headers });
    expect(badCursor.json()).toMatchObject({ status: 400, code: 'OBSERVABILITY_INVALID_FILTER', field: 'querystring.cursor' });
    expect((await app.inject({ method: 'GET', url: '/v1/alerts?state=resolved', headers })).json()).toEqual({ items: [], nextCursor: null });
  });
});
