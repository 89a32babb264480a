import { describe, expect, it } from 'vitest';
import { admin, buildRegistry, manifest, tokenWith, waitingPolls } from './helper.js';

/**
 * registry_route_table_waiting_polls: how many route-table long polls the registry holds open.
 * Each gateway and auth replica keeps one, so it shows who is listening for module changes — and
 * it is what a test waits on to know a poll is really waiting.
 */
describe('registry_route_table_waiting_polls', () => {
  it('counts a long poll while it waits, and not once it is answered', async () => {
    const { app } = await buildRegistry();
    const gateway = await tokenWith(['registry:routes'], 'svc:gateway');
    const start = (await app.inject({ method: 'GET', url: '/v1/route-table', headers: gateway })).json();
    expect(await waitingPolls(app)).toBe(0);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('# HELP registry_route_table_waiting_polls ');
    expect(text).toContain('# TYPE registry_route_table_waiting_polls gauge');

    const polling = app.inject({ method: 'GET', url: `/v1/route-table?after=${start.revision}&waitMs=20000`, headers: gateway });
    await expect.poll(() => waitingPolls(app)).toBe(1);
    await app.inject({ method: 'POST', url: '/v1/modules', headers: await admin(), payload: manifest() });
    expect((await polling).json().revision).toBeGreaterThan(start.revision);
    expect(await waitingPolls(app)).toBe(0);
  });
});
