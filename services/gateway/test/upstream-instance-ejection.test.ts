import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildGateway, manualClock, signedIn } from './helper.js';
import { startInstance } from './instance-stand-in.js';

const probeIntervalMs = 60_000;

describe('outlier detection: ejecting an instance that stops answering', () => {
  // The probe rounds run when the test says (only setInterval is faked: sockets keep real time).
  afterEach(() => void vi.useRealTimers());

  it('ejects it after consecutive failures, then takes it back after its ejection time and a good /ready', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const [dying, live] = await Promise.all([startInstance('dying'), startInstance('live')]);
    const clock = manualClock();
    const gateway = await buildGateway(
      { MEMORY_SERVICE_URL: `${dying.url},${live.url}`, UPSTREAM_RETRIES: '0', UPSTREAM_EJECT_AFTER_FAILURES: '3', UPSTREAM_EJECT_MS: '10000', UPSTREAM_PROBE_INTERVAL_MS: String(probeIntervalMs), CIRCUIT_BREAKER_FAILURES: '2' },
      { clock },
    );
    const headers = { ...(await signedIn(['memory:read', 'memory:write'])), 'content-type': 'application/json' };
    await dying.kill();
    // Without retries (upstream-instance-retry.test.ts has them), each request sent to the dead instance fails until it is ejected.
    const statuses = [];
    for (let index = 0; index < 6; index += 1) statuses.push((await gateway.inject({ method: 'POST', url: '/memory/v1/items', headers, payload: '{}' })).statusCode);
    expect(statuses).toEqual([503, 200, 503, 200, 503, 200]);
    const after = [];
    for (let index = 0; index < 10; index += 1) after.push((await gateway.inject({ method: 'POST', url: '/memory/v1/items', headers, payload: '{}' })).statusCode);
    expect(after).toEqual(Array(10).fill(200));
    expect(live.received).toHaveLength(13);
    let metrics = (await gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`gateway_upstream_instance_ejections_total\\{upstream="memory",instance="${dying.label}"[^}]*\\} 1\\n`));
    expect(metrics).toMatch(new RegExp(`gateway_upstream_instance_available\\{upstream="memory",instance="${dying.label}"[^}]*\\} 0\\n`));
    // Failures on one instance while another serves do not open the service's circuit.
    expect(metrics).not.toMatch(/gateway_upstream_circuit_state\{upstream="memory"[^}]*\} [12]\n/);

    // Back up, but still within its ejection time: a good probe does not return it yet.
    await dying.restart();
    clock.advance(9_999);
    vi.advanceTimersByTime(probeIntervalMs);
    await expect.poll(() => dying.state.probes).toBe(1);
    for (let index = 0; index < 4; index += 1) await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers });
    expect(dying.received).toHaveLength(0);

    // Its time is over and its /ready answers 200: it gets requests again.
    clock.advance(1);
    vi.advanceTimersByTime(probeIntervalMs);
    await expect.poll(async () => (await gateway.inject({ method: 'GET', url: '/metrics' })).body).toMatch(new RegExp(`gateway_upstream_instance_available\\{upstream="memory",instance="${dying.label}"[^}]*\\} 1\\n`));
    for (let index = 0; index < 4; index += 1) expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode).toBe(200);
    expect(dying.received).toHaveLength(2);
    metrics = (await gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`gateway_upstream_instance_requests_total\\{upstream="memory",instance="${dying.label}",outcome="ECONNREFUSED"[^}]*\\} 3\\n`));
  });

  // Regression: an instance answering every request with a fast 503 while its /ready said 200 was
  // never ejected, and least-outstanding-requests sent it most of the traffic (92 % in the review).
  it('ejects an instance that answers 502, 503 or 504 every time while its /ready says 200', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const [broken, live] = await Promise.all([startInstance('broken'), startInstance('live')]);
    broken.state.answerStatus = 503;
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${broken.url},${live.url}`, UPSTREAM_EJECT_AFTER_GATEWAY_ERRORS: '5', UPSTREAM_PROBE_INTERVAL_MS: String(probeIntervalMs) }, { clock: manualClock() });
    const headers = await signedIn(['memory:read']);
    const statuses: number[] = [];
    for (let index = 0; index < 40; index += 1) statuses.push((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode);
    // Five 503s in a row eject it; every request after that goes to the instance that works.
    expect(broken.received).toHaveLength(5);
    expect(statuses.filter((status) => status === 503)).toHaveLength(5);
    expect(statuses.slice(-30)).toEqual(Array(30).fill(200));
    const metrics = (await gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`gateway_upstream_instance_ejections_total\\{upstream="memory",instance="${broken.label}"[^}]*\\} 1\\n`));
  });

  it('does not eject an instance for 500s, nor for gateway errors that are not in a row', async () => {
    const [flaky, live] = await Promise.all([startInstance('flaky'), startInstance('live')]);
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${flaky.url},${live.url}`, UPSTREAM_EJECT_AFTER_GATEWAY_ERRORS: '3', UPSTREAM_PROBE_INTERVAL_MS: String(probeIntervalMs) }, { clock: manualClock() });
    const headers = await signedIn(['memory:read']);
    flaky.state.answerStatus = 500;
    for (let index = 0; index < 20; index += 1) await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers });
    expect(flaky.received.length).toBeGreaterThanOrEqual(8);
    expect((await gateway.inject({ method: 'GET', url: '/metrics' })).body).not.toMatch(/gateway_upstream_instance_ejections_total\{upstream="memory"[^}]*\} [1-9]/);
  });
});
