import { describe, expect, it } from 'vitest';
import { backends, buildMonitoring, platformAdmin, startPlatformStandIns } from './helper.js';

describe.each(backends)('health history retention on $name', (backend) => {
  it('deletes checks older than the retention in chunks, one per round, and keeps the rest', async () => {
    const { env } = await startPlatformStandIns();
    const { app, db, clock } = await buildMonitoring({ postgres: backend.postgres, env: { ...env, HEALTH_HISTORY_RETENTION_DAYS: '8' } });
    const old = (index: number) => new Date(clock.now() - 9 * 86_400_000 + index * 10).toISOString();
    for (let start = 0; start < 12_000; start += 1_000) {
      await db.insertInto('service_checks').values(Array.from({ length: 1_000 }, (_, offset) => ({ target: 'gateway', checked_at: old(start + offset), state: 'up' as const, latency_ms: 3, detail: null }))).execute();
    }
    await db.insertInto('service_check_hours').values({ target: 'gateway', hour: new Date(clock.now() - 9 * 86_400_000).toISOString(), checks: 360, up_checks: 360, latencies: '{"3":360}' }).execute();
    const count = async () => Number((await db.selectFrom('service_checks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    await app.runMonitoringRound();
    expect(await count()).toBe(12_000 - 5_000 + 6);
    await app.runMonitoringRound();
    expect(await count()).toBe(2_000 + 12);
    await app.runMonitoringRound();
    expect(await count()).toBe(18);
    expect(await db.selectFrom('service_check_hours').select('hour').where('target', '=', 'gateway').execute()).toHaveLength(1);

    // The 7-day window does not reach the deleted days.
    const health = (await app.inject({ method: 'GET', url: '/v1/health/services', headers: await platformAdmin() })).json() as { items: { name: string; windows: Record<string, { checks: number }> }[] };
    expect(health.items.find((item) => item.name === 'gateway')?.windows['7d']?.checks).toBe(3);
  });
});
