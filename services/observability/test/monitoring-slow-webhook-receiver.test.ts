import { describe, expect, it } from 'vitest';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { startStandIn } from '../../../tests/support/stand-in-server.js';
import { backends, buildMonitoring, platformAdmin, startPlatformStandIns } from './helper.js';

interface Delivery {
  event: string;
  state: string;
  attempts: number;
  lastError: string | null;
}

// Regression: a receiver that answered 200 at once and then sent a body byte now and then kept the
// delivery open for ever (undici's bodyTimeout is an idle timer), and the round awaited it, so the
// monitor stopped on every replica: no probes, a stale status, an alert never resolved.
describe.each(backends)('a webhook receiver that drips its answer, on $name', (backend) => {
  it('does not stop the next round, and the delivery fails at its deadline and is retried', async () => {
    const { services, env } = await startPlatformStandIns();
    const drips = new Set<NodeJS.Timeout>();
    closeWhenDone(async () => drips.forEach(clearInterval));
    const receiver = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // One byte every 20 ms: always well inside any idle timeout, never finished.
      const drip = setInterval(() => response.write('.'), 20);
      drips.add(drip);
      response.on('close', () => clearInterval(drip));
    });
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env: { ...env, ALERT_WEBHOOK_TIMEOUT_MS: '300', ALERT_WEBHOOK_RETRY_MS: '60000' } });
    const headers = await platformAdmin();
    const created = await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'Gateway down', kind: 'service_down', target: 'gateway', checks: 1, channels: [{ type: 'webhook', url: `${receiver.url}/hook` }] } });
    const ruleId = (created.json() as { id: string }).id;

    services.gateway.health = 'reset';
    clock.advance(10_000);
    const firing = await app.runMonitoringRound();
    expect(firing).toMatchObject({ led: true, fired: 1 });

    // The firing notification is still dripping in; the next round runs all the same.
    services.gateway.health = 200;
    clock.advance(10_000);
    const recovered = await app.runMonitoringRound();
    expect(recovered).toMatchObject({ led: true, resolved: 1 });
    const gateway = (await app.inject({ method: 'GET', url: '/v1/health/services/gateway', headers })).json() as { state: string };
    expect(gateway.state).toBe('up');
    const status = (await app.inject({ method: 'GET', url: '/v1/status' })).json() as { services: { name: string; state: string }[] };
    expect(status.services.find((service) => service.name === 'gateway')?.state).toBe('up');

    expect(await firing.notifications).toBe(0);
    expect(await recovered.notifications).toBe(0);
    // Sent once each: the second round did not send the firing notification again while it was in flight.
    expect(receiver.received.map((request) => (JSON.parse(request.body) as { type: string }).type).sort()).toEqual(['alert.firing', 'alert.resolved']);

    const alerts = (await app.inject({ method: 'GET', url: '/v1/alerts?state=resolved', headers })).json() as { items: { id: string; ruleId: string }[] };
    const alert = alerts.items.find((entry) => entry.ruleId === ruleId);
    const log = (await app.inject({ method: 'GET', url: `/v1/alerts/${alert?.id}/deliveries`, headers })).json() as { items: Delivery[] };
    expect(log.items.map(({ event, state, attempts, lastError }) => ({ event, state, attempts, lastError })).sort((a, b) => a.event.localeCompare(b.event))).toEqual([
      { event: 'firing', state: 'pending', attempts: 1, lastError: 'did not finish within 300 ms' },
      { event: 'resolved', state: 'pending', attempts: 1, lastError: 'did not finish within 300 ms' },
    ]);
  });
});
