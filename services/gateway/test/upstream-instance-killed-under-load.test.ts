import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn } from './helper.js';
import { startInstance } from './instance-stand-in.js';

describe('an instance killed under load', () => {
  it('fails only the requests in flight on it, and none once it is ejected', async () => {
    const instances = await Promise.all(['one', 'two', 'three'].map((name) => startInstance(name)));
    // Every request of the first burst is held where it landed, so each is in flight on a known instance when one is killed.
    for (const instance of instances) instance.state.hold = true;
    const [killed] = instances as [(typeof instances)[0]];
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: instances.map((instance) => instance.url).join(','), RATE_LIMIT_PER_IP: '100000' });
    const headers = await signedIn(['memory:read', 'memory:write']);
    // Half GETs (retried on another instance after a broken connection), half POSTs with a body (never retried).
    const burst = (wave: string) =>
      Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          index % 2 === 0
            ? gateway.inject({ method: 'GET', url: `/memory/v1/items?${wave}=${index}`, headers })
            : gateway.inject({ method: 'POST', url: `/memory/v1/items?${wave}=${index}`, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"text":"once"}' }),
        ),
      );

    const first = burst('first');
    await expect.poll(() => instances.reduce((sum, instance) => sum + instance.received.length, 0), { timeout: 10_000 }).toBe(200);
    // SIGKILL: listener gone, every open connection cut with the requests on it.
    const inFlightOnKilled = killed.received.length;
    expect(inFlightOnKilled).toBeGreaterThan(0);
    await killed.kill();
    for (const instance of instances) {
      instance.state.hold = false;
      instance.state.delayMs = 20;
      instance.release();
    }
    const firstAnswers = await first;
    const failed = firstAnswers.filter((answer) => answer.statusCode !== 200);
    expect(failed.length).toBeLessThanOrEqual(inFlightOnKilled);
    expect(failed.every((answer) => answer.json().upstream === 'memory')).toBe(true);

    const secondAnswers = await burst('second');
    expect(secondAnswers.filter((answer) => answer.statusCode !== 200)).toEqual([]);
    expect(killed.received).toHaveLength(inFlightOnKilled);
    const metrics = (await gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`gateway_upstream_instance_ejections_total\\{upstream="memory",instance="${killed.label}"[^}]*\\} 1\\n`));
    expect(metrics).not.toMatch(/gateway_upstream_requests_total\{upstream="memory",outcome="circuit_open"/);
  });
});
