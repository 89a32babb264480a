import { describe, expect, it } from 'vitest';
import { admin, buildRegistry, manifest, startModuleServer, tokenWith } from './helper.js';

/**
 * Issue #19: a module may register further instances (`replicaBaseUrls`). Each is a URL the
 * platform will call, so each meets the same guard as baseUrl; each serves the same API under
 * baseUrl's path; the route table and Prometheus discovery carry every instance.
 */
describe('a module registered with replicas', () => {
  const register = async (payload: Record<string, unknown>) => {
    const { app } = await buildRegistry();
    const headers = await admin();
    const response = await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest(payload) });
    return { app, headers, response };
  };

  it('is routed and scraped at every instance', async () => {
    const { app, headers, response } = await register({ baseUrl: 'http://127.0.0.1:9001/causal', replicaBaseUrls: ['http://127.0.0.2:9001/causal/', 'https://127.0.0.3:9443/causal'] });
    expect(response.statusCode).toBe(201);
    const gateway = await tokenWith(['registry:routes'], 'svc:gateway');
    const table = (await app.inject({ method: 'GET', url: '/v1/route-table', headers: gateway })).json() as { modules: { moduleId: string; baseUrl: string; replicaBaseUrls: string[] }[] };
    expect(table.modules).toEqual([expect.objectContaining({ moduleId: 'causal', baseUrl: 'http://127.0.0.1:9001/causal', replicaBaseUrls: ['http://127.0.0.2:9001/causal/', 'https://127.0.0.3:9443/causal'] })]);
    const targets = (await app.inject({ method: 'GET', url: '/v1/prometheus/targets', headers })).json() as { targets: string[]; labels: Record<string, string> }[];
    expect(targets.map((group) => [group.labels.__scheme__, group.targets, group.labels.__metrics_path__])).toEqual([
      ['http', ['127.0.0.1:9001', '127.0.0.2:9001'], '/causal/metrics'],
      ['https', ['127.0.0.3:9443'], '/causal/metrics'],
    ]);
  });

  it("stays healthy while any instance is, and reports every instance's failure once none is", async () => {
    const { app } = await buildRegistry({ env: { HEALTH_UNHEALTHY_THRESHOLD: '1' } });
    const [first, second] = await Promise.all([startModuleServer(), startModuleServer()]);
    const headers = await admin();
    expect((await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: first.url, replicaBaseUrls: [second.url] }) })).statusCode).toBe(201);
    const status = async () => (await app.inject({ method: 'GET', url: '/v1/modules/causal/health', headers })).json() as { status: string; lastError: string | null };
    await app.runHealthChecks();
    expect((await status()).status).toBe('healthy');
    // baseUrl's instance is down; the replica serves: the gateway can still route the module.
    await first.close();
    await app.runHealthChecks();
    expect((await status()).status).toBe('healthy');
    expect(second.requests.filter((line) => line === 'GET /health')).toHaveLength(2);
    second.setHealth(503);
    await app.runHealthChecks();
    expect(await status()).toMatchObject({ status: 'unhealthy', lastError: expect.stringMatching(/^health endpoint unreachable \(\w+\) \(and on every replica\)$/) as string });
  });

  it('is refused, naming the replica, when one is unsafe, serves another path, or repeats an origin', async () => {
    const cases: [unknown[], string, RegExp][] = [
      [['http://169.254.169.254/causal'], 'body.replicaBaseUrls[0]', /link-local, metadata or reserved/],
      [['http://127.0.0.2:9001/causal', 'http://user:secret@127.0.0.3:9001/causal'], 'body.replicaBaseUrls[1]', /must not carry credentials/],
      [['http://10.0.0.7:9001/causal'], 'body.replicaBaseUrls[0]', /loopback or private/],
      [['http://127.0.0.2:9001/other'], 'body.replicaBaseUrls[0]', /path of baseUrl/],
      [['http://127.0.0.1:9001/causal/'], 'body.replicaBaseUrls[0]', /listed twice/],
      [['http://127.0.0.2:9001/causal?x=1'], 'body.replicaBaseUrls[0]', /no query or fragment/],
    ];
    for (const [replicaBaseUrls, field, detail] of cases) {
      const { response } = await register({ baseUrl: 'http://127.0.0.1:9001/causal', replicaBaseUrls });
      expect(response.statusCode, JSON.stringify(replicaBaseUrls)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json() as { detail: string; field?: string; errors?: { field: string }[] };
      expect(JSON.stringify(problem), JSON.stringify(replicaBaseUrls)).toContain(field);
      expect(problem.detail, JSON.stringify(replicaBaseUrls)).toMatch(detail);
    }
  });

  it('is refused by the schema with too many replicas or one that is no http(s) URL', async () => {
    const many = Array.from({ length: 16 }, (_unused, index) => `http://127.0.1.${index + 1}:9001/causal`);
    for (const replicaBaseUrls of [many, ['ftp://127.0.0.2/causal'], 'http://127.0.0.2:9001/causal']) {
      const { response } = await register({ baseUrl: 'http://127.0.0.1:9001/causal', replicaBaseUrls });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('replicaBaseUrls');
    }
  });
});
