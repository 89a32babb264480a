import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn } from './helper.js';
import { startInstance } from './instance-stand-in.js';

describe('retrying on another instance', () => {
  it('sends an idempotent request that could not connect to another instance, and never a POST with a body', async () => {
    const [dead, live] = await Promise.all([startInstance('dead'), startInstance('live')]);
    // Never ejected here, so the dead instance keeps being picked in its turn.
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${dead.url},${live.url}`, UPSTREAM_EJECT_AFTER_FAILURES: '100', UPSTREAM_RETRIES: '1' });
    const headers = await signedIn(['memory:read', 'memory:write']);
    await dead.kill();

    const gets = [];
    for (let index = 0; index < 6; index += 1) gets.push(await gateway.inject({ method: 'GET', url: `/memory/v1/items?n=${index}`, headers }));
    // With one retry allowed, each GET the dead instance refused succeeded on the live one.
    expect(gets.map((answer) => answer.statusCode)).toEqual(Array(6).fill(200));
    expect(live.received).toHaveLength(6);
    const metrics = (await gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`gateway_upstream_instance_requests_total\\{upstream="memory",instance="${dead.label}",outcome="ECONNREFUSED"[^}]*\\} 3\\n`));
    expect(metrics).toMatch(/gateway_upstream_retries_total\{upstream="memory"[^}]*\} 3\n/);

    const posts = [];
    for (let index = 0; index < 2; index += 1) posts.push(await gateway.inject({ method: 'POST', url: '/memory/v1/items', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"text":"once"}' }));
    expect(posts.map((answer) => answer.statusCode).sort()).toEqual([200, 503]);
    expect(live.received.filter((line) => line.startsWith('POST'))).toHaveLength(1);
  });
});
