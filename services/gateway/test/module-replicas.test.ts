import { describe, expect, it } from 'vitest';
import type { HostResolver } from '@lift/kit';
import { gatewayFor, moduleEntry, startControlPlane } from './control-plane.js';
import { manualClock, signedIn } from './helper.js';
import { startInstance } from './instance-stand-in.js';

/**
 * Issue #19: a module may register several base URLs (`replicaBaseUrls` beside `baseUrl`). The
 * gateway balances across them as across a service's instances, with passive outlier detection
 * (a replica is reached only through the module address guard, never probed): one that stops
 * answering is ejected, and comes back on trial once its ejection time is over.
 */
describe('a module with replicas', () => {
  it("balances the module's requests across baseUrl and its replicas, under the baseUrl's path", async () => {
    const [first, second] = await Promise.all([startInstance('first'), startInstance('second')]);
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`${first.url}/causal-api`, { replicaBaseUrls: [`${second.url}/causal-api`] })] });
    const gateway = await gatewayFor(controlPlane);
    const headers = await signedIn(['causal:read']);
    const answered = [];
    for (let index = 0; index < 10; index += 1) {
      const response = await gateway.inject({ method: 'GET', url: `/modules/causal/v1/graphs/${index}`, headers });
      expect(response.statusCode).toBe(200);
      answered.push((response.json() as { instance: string }).instance);
    }
    expect(answered.filter((name) => name === 'first')).toHaveLength(5);
    expect(first.received).toContain('GET /causal-api/v1/graphs/0');
    expect(second.received).toContain('GET /causal-api/v1/graphs/1');
  });

  it('ejects a replica that stops answering, and tries it again once its ejection time is over', async () => {
    const [dying, live] = await Promise.all([startInstance('dying'), startInstance('live')]);
    const clock = manualClock();
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`${live.url}/api`, { replicaBaseUrls: [`${dying.url}/api`] })] });
    const gateway = await gatewayFor(controlPlane, { UPSTREAM_RETRIES: '0', UPSTREAM_EJECT_AFTER_FAILURES: '3', UPSTREAM_EJECT_MS: '10000', CIRCUIT_BREAKER_FAILURES: '2' }, { clock });
    const headers = { ...(await signedIn(['causal:write', 'causal:run'])), 'content-type': 'application/json' };
    await dying.kill();
    // Without retries, each request sent to the dead replica fails until it is ejected.
    const statuses = [];
    for (let index = 0; index < 10; index += 1) statuses.push((await gateway.inject({ method: 'POST', url: '/modules/causal/v1/runs', headers, payload: '{}' })).statusCode);
    expect(statuses.filter((status) => status !== 200)).toHaveLength(3);
    expect(statuses.slice(6)).toEqual([200, 200, 200, 200]);

    await dying.restart();
    clock.advance(9_999);
    for (let index = 0; index < 4; index += 1) expect((await gateway.inject({ method: 'POST', url: '/modules/causal/v1/runs', headers, payload: '{}' })).statusCode).toBe(200);
    expect(dying.received).toHaveLength(0);
    // Its ejection time is over: it gets requests again (no probe: modules' replicas are only reached through the address guard).
    clock.advance(1);
    for (let index = 0; index < 4; index += 1) expect((await gateway.inject({ method: 'POST', url: '/modules/causal/v1/runs', headers, payload: '{}' })).statusCode).toBe(200);
    expect(dying.received.length).toBeGreaterThan(0);
  });

  it("keeps two modules on one host apart: one module's failing path does not eject the other", async () => {
    const [shared, other] = await Promise.all([startInstance('shared'), startInstance('other')]);
    const controlPlane = await startControlPlane({
      revision: 1,
      modules: [
        moduleEntry(`${shared.url}/alpha`, { moduleId: 'alpha', routes: [], replicaBaseUrls: [`${other.url}/alpha`] }),
        moduleEntry(`${shared.url}/beta`, { moduleId: 'beta', routes: [], replicaBaseUrls: [`${other.url}/beta`] }),
      ],
    });
    const gateway = await gatewayFor(controlPlane, { UPSTREAM_EJECT_AFTER_GATEWAY_ERRORS: '2' });
    // Only alpha's path on the shared host fails (its 503s); beta's on the same host is fine.
    shared.state.answerStatus = 503;
    const alphaHeaders = await signedIn(['alpha:read']);
    for (let index = 0; index < 6; index += 1) await gateway.inject({ method: 'GET', url: '/modules/alpha/v1/x', headers: alphaHeaders });
    shared.state.answerStatus = 200;
    const betaHeaders = await signedIn(['beta:read']);
    const before = shared.received.filter((line) => line.includes('/beta/')).length;
    for (let index = 0; index < 6; index += 1) expect((await gateway.inject({ method: 'GET', url: '/modules/beta/v1/x', headers: betaHeaders })).statusCode).toBe(200);
    expect(shared.received.filter((line) => line.includes('/beta/')).length - before).toBe(3);
  });

  it('skips a replica in the route table that is no http(s) URL rather than refusing the whole table', async () => {
    const live = await startInstance('live');
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`${live.url}/api`, { replicaBaseUrls: ['ftp://127.0.0.1/api', 'not a url', `${live.url}/api`] })] });
    const gateway = await gatewayFor(controlPlane);
    const headers = await signedIn(['causal:read']);
    for (let index = 0; index < 3; index += 1) expect((await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers })).statusCode).toBe(200);
    expect(live.received).toHaveLength(3);
  });

  it('never connects to a replica whose name now resolves to an address the module policy forbids', async () => {
    const live = await startInstance('live');
    const port = Number(new URL(live.url).port);
    const asked: string[] = [];
    // The registry checked the name; by now it resolves to the cloud metadata address (DNS rebinding).
    const resolveModuleHost: HostResolver = async (host) => {
      asked.push(host);
      return host === 'rebound.example.test' ? [{ address: '169.254.169.254', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    };
    const controlPlane = await startControlPlane({ revision: 1, modules: [moduleEntry(`http://module.example.test:${port}/api`, { replicaBaseUrls: [`http://rebound.example.test:${port}/api`] })] });
    const gateway = await gatewayFor(controlPlane, { UPSTREAM_EJECT_AFTER_FAILURES: '2' }, { resolveModuleHost });
    const headers = await signedIn(['causal:read']);
    const statuses = [];
    for (let index = 0; index < 8; index += 1) statuses.push((await gateway.inject({ method: 'GET', url: '/modules/causal/v1/graphs', headers })).statusCode);
    expect(asked).toContain('rebound.example.test');
    // Refused by the guard like a dead replica (a 502 each), and ejected after two of them.
    expect(statuses.filter((status) => status !== 200)).toEqual([502, 502]);
    expect(statuses.slice(4)).toEqual([200, 200, 200, 200]);
    expect(live.received).toHaveLength(6);
  });
});
