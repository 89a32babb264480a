import { describe, expect, it } from 'vitest';
import { sendJson } from '../../../tests/support/stand-in-server.js';
import { backends, buildMonitoring, platformAdmin, startPlatformStandIns } from './helper.js';

type ModuleSummary = { moduleId: string; status: 'healthy' | 'unhealthy' | 'unknown'; enabled: boolean; since: string; lastError: string | null };

describe.each(backends)('module health on $name', (backend) => {
  it('reads the modules\' health from the registry with its own service token, and alerts on an unhealthy module', async () => {
    const { services, env } = await startPlatformStandIns();
    let modules: ModuleSummary[] = [
      { moduleId: 'causal', status: 'healthy', enabled: true, since: '2026-11-28T08:00:00.000Z', lastError: null },
      { moduleId: 'evals', status: 'unknown', enabled: false, since: '2026-11-28T08:00:00.000Z', lastError: null },
    ];
    let tokensIssued = 0;
    services.auth.other = (request, response) => {
      if (request.url !== '/v1/oauth/token') return false;
      tokensIssued += 1;
      const ok = request.headers.authorization === `Basic ${Buffer.from('observability:observability-secret-0123456789').toString('base64')}`;
      sendJson(response, ok ? 200 : 401, ok ? { access_token: 'svc-observability-token', token_type: 'Bearer', expires_in: 300 } : { error: 'invalid_client' });
      return true;
    };
    services.registry.other = (request, response) => {
      if (request.url !== '/v1/health-summary') return false;
      if (request.headers.authorization !== 'Bearer svc-observability-token') sendJson(response, 401, {});
      else sendJson(response, 200, { total: modules.length, healthy: 0, unhealthy: 0, unknown: 0, disabled: 0, modules });
      return true;
    };
    const { app, clock } = await buildMonitoring({ postgres: backend.postgres, env: { ...env, SERVICE_CLIENT_SECRETS: 'observability:observability-secret-0123456789' } });
    const headers = await platformAdmin();

    await app.runMonitoringRound();
    expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({ state: 'up', modules: [{ name: 'causal', state: 'up' }, { name: 'evals', state: 'disabled' }] });

    modules = [{ ...modules[0]!, status: 'unhealthy', since: '2026-11-28T09:00:05.000Z', lastError: 'health endpoint answered 500' }];
    clock.advance(10_000);
    expect(await app.runMonitoringRound()).toMatchObject({ fired: 1 });
    const overview = (await app.inject({ method: 'GET', url: '/v1/overview', headers })).json() as { state: string; modules: unknown[]; openAlerts: { items: { kind: string; target: string; summary: string }[] } };
    expect(overview.state).toBe('degraded');
    expect(overview.modules).toEqual([{ name: 'causal', state: 'down', since: '2026-11-28T09:00:05.000Z', detail: 'health endpoint answered 500' }]);
    expect(overview.openAlerts.items).toMatchObject([{ kind: 'module_unhealthy', target: 'causal', summary: 'module causal is unhealthy (health endpoint answered 500)' }]);

    // The registry cannot be asked: the module is unknown, and its alert stays as it is.
    services.registry.other = () => false;
    clock.advance(10_000);
    expect(await app.runMonitoringRound()).toMatchObject({ fired: 0, resolved: 0 });
    expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({ modules: [{ name: 'causal', state: 'unknown' }] });

    // Deregistered: the alert resolves.
    services.registry.other = (request, response) => (request.url === '/v1/health-summary' ? (sendJson(response, 200, { total: 0, healthy: 0, unhealthy: 0, unknown: 0, disabled: 0, modules: [] }), true) : false);
    clock.advance(10_000);
    expect(await app.runMonitoringRound()).toMatchObject({ resolved: 1 });
    expect(tokensIssued).toBe(1);
  });

  it('says once that without its secret the modules cannot be read, and asks the registry nothing', async () => {
    const { services, env } = await startPlatformStandIns();
    const { app, logs } = await buildMonitoring({ postgres: backend.postgres, env });
    await app.runMonitoringRound();
    await app.runMonitoringRound();
    expect(logs.filter((line) => String(line.msg).includes('SERVICE_CLIENT_SECRETS has no secret for observability'))).toHaveLength(1);
    expect(services.registry.stand.received.filter((request) => request.url === '/v1/health-summary')).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({ state: 'up', modules: [] });
  });
});
