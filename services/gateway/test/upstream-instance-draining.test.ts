import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildGateway, signedIn } from './helper.js';
import { startInstance } from './instance-stand-in.js';

const probeIntervalMs = 60_000;

describe('draining: an instance whose /ready answers 503', () => {
  afterEach(() => void vi.useRealTimers());

  it('gets no new requests while those in flight on it finish, and gets them again once ready', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const [draining, staying] = await Promise.all([startInstance('draining'), startInstance('staying')]);
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${draining.url},${staying.url}`, UPSTREAM_PROBE_INTERVAL_MS: String(probeIntervalMs) });
    const headers = await signedIn();
    draining.state.hold = true;
    const inFlight = gateway.inject({ method: 'GET', url: '/memory/v1/items?held', headers });
    await expect.poll(() => draining.received.length).toBe(1);

    // SIGTERM'd: its /ready turns 503 while it finishes what it has.
    draining.state.readyStatus = 503;
    vi.advanceTimersByTime(probeIntervalMs);
    const unavailable = new RegExp(`gateway_upstream_instance_available\\{upstream="memory",instance="${draining.label}"[^}]*\\} 0\\n`);
    await expect.poll(async () => (await gateway.inject({ method: 'GET', url: '/metrics' })).body).toMatch(unavailable);
    for (let index = 0; index < 6; index += 1) expect((await gateway.inject({ method: 'GET', url: `/memory/v1/items?n=${index}`, headers })).statusCode).toBe(200);
    expect(draining.received).toHaveLength(1);
    expect(staying.received).toHaveLength(6);
    draining.release();
    const held = await inFlight;
    expect(held.statusCode).toBe(200);
    expect(held.json()).toEqual({ instance: 'draining' });

    // Restarted and ready: back in the rotation.
    draining.state.hold = false;
    draining.state.readyStatus = 200;
    vi.advanceTimersByTime(probeIntervalMs);
    await expect.poll(async () => (await gateway.inject({ method: 'GET', url: '/metrics' })).body).not.toMatch(unavailable);
    for (let index = 0; index < 4; index += 1) await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers });
    expect(draining.received).toHaveLength(3);
  });
});
