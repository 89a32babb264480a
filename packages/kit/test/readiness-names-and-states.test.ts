import { describe, expect, it } from 'vitest';
import { buildTestService, capturingLogger, manualClock } from './helper.js';

// Issue #10 item 13: /ready (public, and through the gateway) showed internal error text to anyone.
describe('/ready says names and states only', () => {
  it('answers each check as ok or failing, with no error text, and logs why a check fails', async () => {
    const { log, lines } = capturingLogger();
    const app = await buildTestService({ log });
    app.readiness.add({ name: 'database', check: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.4.17:5432 (user lift_prod)')) });
    app.readiness.add({ name: 'redis', check: async () => undefined });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SERVICE_NOT_READY', checks: { database: 'failing', redis: 'ok' }, detail: "test-service is not ready: database failing; the service's log says why." });
    expect(response.body).not.toMatch(/ECONNREFUSED|10\.0\.4\.17|lift_prod/);
    await expect.poll(() => lines.filter((line) => line.check === 'database')).toEqual([
      expect.objectContaining({ level: 'warn', check: 'database', reason: 'connect ECONNREFUSED 10.0.4.17:5432 (user lift_prod)' }),
    ]);
  });

  it('logs a lasting failure once a minute, a new reason at once, and the recovery once', async () => {
    const { log, lines } = capturingLogger();
    const clock = manualClock();
    const app = await buildTestService({ log, clock });
    let reason: string | undefined = 'no answer within 2000 ms';
    app.readiness.add({ name: 'upstream', check: async () => (reason === undefined ? undefined : Promise.reject(new Error(reason))) });
    const probe = () => app.inject({ method: 'GET', url: '/ready' });
    const logged = () => lines.filter((line) => line.check === 'upstream').map((line) => `${String(line.level)} ${String(line.reason ?? line.msg)}`);

    for (let second = 0; second < 30; second += 5) {
      await probe();
      clock.advance(5_000);
    }
    await expect.poll(logged).toEqual(['warn no answer within 2000 ms']);
    clock.advance(60_000);
    await probe();
    reason = 'connect ECONNREFUSED';
    await probe();
    await probe();
    reason = undefined;
    await probe();
    await probe();
    await expect.poll(logged).toEqual(['warn no answer within 2000 ms', 'warn no answer within 2000 ms', 'warn connect ECONNREFUSED', 'info readiness check upstream passes again']);
  });
});
