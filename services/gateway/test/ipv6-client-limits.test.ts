import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn, startUpstream } from './helper.js';

describe('rate limits for IPv6 clients', () => {
  it('count a /64 as one client, since one subscriber holds a whole /64', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, RATE_LIMIT_PER_IP: '3' });
    const headers = await signedIn(['memory:read']);
    const from = async (remoteAddress: string) => (await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers, remoteAddress })).statusCode;
    const statuses = [];
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2::abcd:1', '2001:db8:1:2:ffff:ffff:ffff:ffff']) statuses.push(await from(address));
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await from('2001:db8:1:3::1')).toBe(200);
    expect(await from('203.0.113.9')).toBe(200);
  });
});
