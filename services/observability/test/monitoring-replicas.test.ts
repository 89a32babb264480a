import { describe, expect, it } from 'vitest';
import { backends, buildMonitoring, platformAdmin, startPlatformStandIns } from './helper.js';

const shared = backends.find((backend) => backend.postgres);

// Two replicas share the lease only through Redis; in-process state is one replica's own.
describe.skipIf(shared === undefined)('two replicas on PostgreSQL + Redis', () => {
  it('probe once per round between them, not twice, and the other takes over when the leader closes', async () => {
    const { services, env } = await startPlatformStandIns();
    const first = await buildMonitoring({ postgres: true, env });
    const second = await buildMonitoring({ postgres: true, env, storage: first.storage });
    const healthProbes = () => services.gateway.stand.received.filter((request) => request.url === '/health').length;
    const headers = await platformAdmin();
    services.auth.health = 503;

    const leaders: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      first.clock.advance(10_000);
      second.clock.advance(10_000);
      const [a, b] = await Promise.all([first.app.runMonitoringRound(), second.app.runMonitoringRound()]);
      expect([a.led, b.led].filter(Boolean)).toHaveLength(1);
      leaders.push(a.led ? 'first' : 'second');
    }
    expect(new Set(leaders).size).toBe(1);
    expect(healthProbes()).toBe(4);
    expect(services.auth.stand.received.filter((request) => request.url === '/ready')).toHaveLength(4);

    // Both answer the same, whichever probed; and the down service has one alert, not two.
    const [fromFirst, fromSecond] = await Promise.all([first, second].map(async (replica) => (await replica.app.inject({ method: 'GET', url: '/v1/overview', headers })).json() as { services: unknown[]; openAlerts: { total: number } }));
    expect(fromSecond).toEqual(fromFirst);
    expect(fromFirst?.openAlerts.total).toBe(1);

    const [leader, standby] = leaders[0] === 'first' ? [first, second] : [second, first];
    await leader.app.close();
    standby.clock.advance(10_000);
    expect((await standby.app.runMonitoringRound()).led).toBe(true);
    expect(healthProbes()).toBe(5);
    const alerts = (await standby.app.inject({ method: 'GET', url: '/v1/alerts?state=firing', headers })).json() as { items: { target: string }[] };
    expect(alerts.items.map((alert) => alert.target)).toEqual(['auth']);
  });
});
