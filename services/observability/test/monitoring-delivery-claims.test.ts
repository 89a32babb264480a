import { describe, expect, it } from 'vitest';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { monitoringStore } from '../src/store/monitoring-store.js';
import { backends, buildMonitoring, platformAdmin, startPlatformStandIns } from './helper.js';

// Regression: due deliveries were read, not claimed, so a replica that took the lease over re-sent
// a notification its stuck predecessor was still sending (the same deliveryId twice).
describe.each(backends)('claiming due notifications on $name', (backend) => {
  it('lets exactly one of several parallel claims on a due delivery win', async () => {
    const { services, env } = await startPlatformStandIns();
    const receiver = await startStandIn((_request, response) => sendJson(response, 500, {}));
    const { app, clock, db } = await buildMonitoring({ postgres: backend.postgres, env: { ...env, ALERT_WEBHOOK_RETRY_MS: '60000' } });
    const headers = await platformAdmin();
    await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'Gateway down', kind: 'service_down', target: 'gateway', checks: 1, channels: [{ type: 'webhook', url: `${receiver.url}/hook` }] } });
    services.gateway.health = 503;
    clock.advance(10_000);
    await (await app.runMonitoringRound()).notifications;
    expect(receiver.received).toHaveLength(1);

    const store = monitoringStore(db);
    clock.advance(60_000);
    const at = new Date(clock.now()).toISOString();
    const [due] = await store.alerts.dueDeliveries(at, 10);
    expect(due).toMatchObject({ state: 'pending', attempts: 1 });
    const until = new Date(clock.now() + 10_000).toISOString();
    const claims = await Promise.all(Array.from({ length: 8 }, () => store.alerts.claimDelivery(due as { id: string; attempts: number }, at, until)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Claimed: due for nobody until the claim lapses, so no sender picks it up meanwhile.
    expect(await store.alerts.dueDeliveries(at, 10)).toEqual([]);
    expect(await (await app.runMonitoringRound()).notifications).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it('sends a due notification once when two replicas look for due notifications at the same time', async () => {
    const { services, env } = await startPlatformStandIns();
    let status = 500;
    const receiver = await startStandIn((_request, response) => sendJson(response, status, {}));
    const settings = { ...env, ALERT_WEBHOOK_RETRY_MS: '60000' };
    const first = await buildMonitoring({ postgres: backend.postgres, env: settings });
    // On SQLite each replica has its own in-process lease, so both lead: only the claim keeps them apart.
    const second = await buildMonitoring({ postgres: backend.postgres, env: settings, storage: first.storage });
    const headers = await platformAdmin();
    const channels = Array.from({ length: 5 }, (_, index) => ({ type: 'webhook', url: `${receiver.url}/hook-${index}` }));
    await first.app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'Gateway down', kind: 'service_down', target: 'gateway', checks: 1, channels } });
    services.gateway.health = 503;
    first.clock.advance(10_000);
    await (await first.app.runMonitoringRound()).notifications;
    expect(receiver.received).toHaveLength(5);

    status = 204;
    first.clock.advance(60_000);
    second.clock.set(new Date(first.clock.now()).toISOString());
    const rounds = await Promise.all([first.app.runMonitoringRound(), second.app.runMonitoringRound()]);
    const delivered = await Promise.all(rounds.map((round) => round.notifications));
    expect(delivered.reduce((sum, count) => sum + count, 0)).toBe(5);
    expect(receiver.received).toHaveLength(10);
    expect(receiver.received.slice(5).map((request) => request.url).sort()).toEqual(channels.map((channel) => new URL(channel.url).pathname).sort());
  });
});
