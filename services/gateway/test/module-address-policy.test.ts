import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { HostResolver } from '@lift/kit';
import { gatewayFor, moduleEntry, startControlPlane } from './control-plane.js';
import { signedIn, startUpstream } from './helper.js';

/** A module on loopback that closes each connection after one answer, so every request connects anew. */
const startCountingModule = () => startUpstream((_request, respond) => respond(200, '{"reached":true}', { connection: 'close' }));

/** A resolver the test points wherever it likes, as a rebinding attacker's DNS server would. */
function switchableResolver(initial: string): HostResolver & { pointAt(address: string): void } {
  let address = initial;
  const resolve: HostResolver = async () => [{ address, family: isIP(address) }];
  return Object.assign(resolve, { pointAt: (next: string) => void (address = next) });
}

// Issue #10 item 7: the registry checked a module's URL once; the gateway's pools connected to
// whatever the name resolved to later (DNS rebinding to 127.0.0.1 or 169.254.169.254).
describe('connections to modules under the address policy', () => {
  it('refuses to connect when the module\'s name resolves to a loopback address that is not allowed: no connection is made', async () => {
    const module = await startCountingModule();
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`http://causal.modules.example:${module.port}`)] });
    const gateway = await gatewayFor(controlPlane, { MODULE_URL_ALLOWED_NETWORKS: '' }, { resolveModuleHost: switchableResolver('127.0.0.1') });
    const response = await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers: await signedIn(['causal:read']) });
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'GATEWAY_BAD_UPSTREAM_RESPONSE', upstream: 'module causal', detail: expect.stringContaining('EREFUSED_BY_POLICY') });
    // The answer names the module, never the address it was refused for.
    expect(response.body).not.toContain('127.0.0.1');
    expect(module.counted.connections).toBe(0);
  });

  it('refuses a module whose name is rebound to the metadata address between two connections', async () => {
    const module = await startCountingModule();
    const resolver = switchableResolver('127.0.0.1');
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`http://causal.modules.example:${module.port}`)] });
    const gateway = await gatewayFor(controlPlane, {}, { resolveModuleHost: resolver });
    const headers = await signedIn(['causal:read']);
    const first = await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers });
    expect(first.json()).toEqual({ reached: true });
    expect(module.counted.connections).toBe(1);

    resolver.pointAt('169.254.169.254');
    const second = await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers });
    expect(second.statusCode).toBe(502);
    expect(second.json()).toMatchObject({ code: 'GATEWAY_BAD_UPSTREAM_RESPONSE', detail: expect.stringContaining('EREFUSED_BY_POLICY') });

    resolver.pointAt('::ffff:7f00:1');
    expect((await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers })).statusCode).toBe(200);
    expect(module.counted.connections).toBe(2);
  });

  it('refuses an IP-literal baseUrl the policy does not allow, which no lookup would catch', async () => {
    const module = await startCountingModule();
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`http://[::ffff:127.0.0.1]:${module.port}`)] });
    const gateway = await gatewayFor(controlPlane, { MODULE_URL_ALLOWED_NETWORKS: '10.0.0.0/8' });
    const response = await gateway.inject({ method: 'GET', url: '/modules/causal/x', headers: await signedIn(['causal:read']) });
    expect(response.statusCode).toBe(502);
    expect(module.counted.connections).toBe(0);
  });

  it('refuses to start with a MODULE_URL_ALLOWED_NETWORKS that is not a list of networks', async () => {
    const controlPlane = await startControlPlane({ revision: 1, modules: [] });
    await expect(gatewayFor(controlPlane, { MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8,loopback' })).rejects.toMatchObject({
      problems: ['MODULE_URL_ALLOWED_NETWORKS: "loopback" is not an address or CIDR (e.g. 10.0.0.0/8, fd00::/8)'],
    });
  });
});
