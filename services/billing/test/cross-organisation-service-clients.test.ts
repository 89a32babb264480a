import { describe, expect, it } from 'vitest';
import { backends, buildBilling, tokenFor } from './helper.js';

/**
 * Regression: any `svc:` subject in the platform organisation read any tenant's plan, period and
 * usage — the Prometheus and Alertmanager clients and the log shipper included. Only the services
 * that meter usage (billing:usage: the gateway and memory) act for other organisations. The
 * permissions are those auth's service-permissions.ts grants each client.
 */
const clients = {
  gateway: ['registry:routes', 'billing:usage', 'auth:token-exchange'],
  memory: ['billing:usage', 'registry:routes'],
  prometheus: ['registry:read'],
  alertmanager: ['observability:alertmanager'],
  'log-shipper': ['observability:ingest'],
  observability: ['registry:read', 'observability:read'],
} as const;
const clientToken = (name: keyof typeof clients) => tokenFor('platform', [...clients[name]], { subject: `svc:${name}` });
const usageEvent = { id: 'cross-1', org: 'org-a', metric: 'api_calls', quantity: 1, timestamp: '2026-11-28T09:00:00Z' };

describe.each(backends)('platform service clients and other organisations\' billing on $name', ({ postgres }) => {
  it('let the gateway and memory read a tenant\'s entitlements and deliver its usage', async () => {
    const { app } = await buildBilling({ postgres });
    for (const name of ['gateway', 'memory'] as const) {
      const headers = await clientToken(name);
      const entitlements = await app.inject({ method: 'GET', url: '/v1/entitlements/org-a', headers });
      expect(entitlements.statusCode, name).toBe(200);
      expect(entitlements.json(), name).toMatchObject({ organisationId: 'org-a' });
      const delivered = await app.inject({ method: 'POST', url: '/v1/events/usage', headers, payload: { events: [{ ...usageEvent, id: `cross-${name}` }] } });
      expect(delivered.statusCode, name).toBe(200);
      expect(delivered.json(), name).toMatchObject({ accepted: 1 });
    }
  });

  it.each(['prometheus', 'alertmanager', 'log-shipper', 'observability'] as const)('refuse the %s client a tenant\'s entitlements (as for any token not acting for it) and the usage inbox', async (name) => {
    const { app } = await buildBilling({ postgres });
    const headers = await clientToken(name);
    const entitlements = await app.inject({ method: 'GET', url: '/v1/entitlements/org-a', headers });
    expect(entitlements.statusCode).toBe(404);
    expect(entitlements.json()).toMatchObject({ code: 'BILLING_SUBSCRIPTION_NOT_FOUND' });
    expect(entitlements.body).not.toContain('api_calls');
    const delivered = await app.inject({ method: 'POST', url: '/v1/events/usage', headers, payload: { events: [usageEvent] } });
    expect(delivered.statusCode).toBe(403);
    expect(delivered.headers['content-type']).toContain('application/problem+json');
  });
});
