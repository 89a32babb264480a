import { describe, expect, it } from 'vitest';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { backends, buildMonitoring, platformAdmin, startPlatformStandIns } from './helper.js';

interface Delivery {
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  channel: { url: string };
}

describe.each(backends)('webhook retries on $name', (backend) => {
  it('retries a failing webhook with doubling waits, logs every attempt\'s outcome and gives up after the last', async () => {
    const { services, env } = await startPlatformStandIns();
    let failuresLeft = 2;
    const flaky = await startStandIn((_request, response) => sendJson(response, failuresLeft-- > 0 ? 500 : 204, ''));
    const closed = await startStandIn();
    await closed.close();
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env: { ...env, ALERT_WEBHOOK_RETRY_MS: '60000', ALERT_WEBHOOK_RETRY_MAX_MS: '600000', ALERT_WEBHOOK_MAX_ATTEMPTS: '3' } });
    const headers = await platformAdmin();
    await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'Gateway down', kind: 'service_down', target: 'gateway', checks: 1, channels: [{ type: 'webhook', url: `${flaky.url}/hook` }, { type: 'webhook', url: `${closed.url}/hook` }] } });
    services.gateway.health = 'reset';
    const round = async (ms: number) => {
      clock.advance(ms);
      const report = await app.runMonitoringRound();
      return { ...report, delivered: await report.notifications };
    };
    const deliveries = async () => {
      const [alert] = ((await app.inject({ method: 'GET', url: '/v1/alerts?state=firing', headers })).json() as { items: { id: string; ruleName: string }[] }).items.filter((entry) => entry.ruleName === 'Gateway down');
      const items = ((await app.inject({ method: 'GET', url: `/v1/alerts/${alert?.id}/deliveries`, headers })).json() as { items: Delivery[] }).items;
      return { toFlaky: items.find((item) => item.channel.url === flaky.url), toClosed: items.find((item) => item.channel.url === closed.url) };
    };

    await round(10_000);
    const start = clock.now();
    expect(flaky.received).toHaveLength(1);
    expect((await deliveries()).toFlaky).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500, lastError: 'answered 500', nextAttemptAt: new Date(start + 60_000).toISOString() });
    expect((await deliveries()).toClosed).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null, lastError: 'not delivered (ECONNREFUSED)' });

    await round(10_000); // not due yet
    expect(flaky.received).toHaveLength(1);
    await round(50_000); // 60 s after the first attempt
    expect(flaky.received).toHaveLength(2);
    expect((await deliveries()).toFlaky).toMatchObject({ state: 'pending', attempts: 2, nextAttemptAt: new Date(start + 60_000 + 120_000).toISOString() });
    await round(120_000);
    expect(flaky.received).toHaveLength(3);
    const { toFlaky, toClosed } = await deliveries();
    expect(toFlaky).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 204, lastError: null, nextAttemptAt: null });
    expect(toClosed).toMatchObject({ state: 'failed', attempts: 3, nextAttemptAt: null });
    // The same notification each time: receivers drop repeats by its delivery id.
    expect(new Set(flaky.received.map((request) => (JSON.parse(request.body) as { deliveryId: string }).deliveryId)).size).toBe(1);

    await round(600_000);
    expect(flaky.received).toHaveLength(3);
  });
});
