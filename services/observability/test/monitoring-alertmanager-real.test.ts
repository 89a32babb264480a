import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNativeAlertmanagerConfig, startAlertmanager } from '../../../tests/support/alertmanager-process.js';
import { commandAvailable } from '../../../tests/support/monitoring-tools.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { buildMonitoring, platformAdmin, serviceToken } from './helper.js';

const skip = skipUnless(commandAvailable('prometheus-alertmanager'), 'a real Alertmanager posting to observability', 'prometheus-alertmanager (apt-get install -y prometheus-alertmanager)');

interface Alert {
  id: string;
  source: string;
  ruleName: string;
  target: string;
  severity: string;
  state: string;
  summary: string;
  resolvedBy: string | null;
}

describe.skipIf(skip)('a real Alertmanager', () => {
  it('posts a firing alert that lands, is acknowledged, and resolves when Alertmanager resolves it', async () => {
    const { app } = await buildMonitoring();
    const webhook = `${await app.listen({ host: '127.0.0.1', port: 0 })}/v1/alertmanager/webhook`;
    // Auth's client-credentials grant, as it answers the alertmanager client: a token with observability:alertmanager.
    const token = ((await serviceToken('alertmanager', ['observability:alertmanager'])).authorization ?? '').slice('Bearer '.length);
    const auth = await startStandIn((_request, response) => sendJson(response, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'observability:alertmanager' }));
    const secretFile = join(mkdtempSync(join(tmpdir(), 'lift-am-secret-')), 'alertmanager.client-secret');
    writeFileSync(secretFile, 'the-alertmanager-secret', { mode: 0o600 });
    const alertmanager = await startAlertmanager(renderNativeAlertmanagerConfig({ webhookUrl: webhook, tokenUrl: `${auth.url}/v1/oauth/token`, secretFile }));

    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const labels = { alertname: 'LiftServiceDown', service: 'billing', job: 'lift-billing', severity: 'critical' };
    const annotations = { summary: 'billing is down', description: 'billing has not answered /metrics for a minute.' };
    const postToAlertmanager = async (endsAt: string) => {
      const answer = await fetch(`${alertmanager.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ labels, annotations, startsAt, endsAt, generatorURL: 'http://prometheus.example/graph' }]) });
      expect(answer.status).toBe(200);
    };
    const admin = await platformAdmin();
    const held = async () => ((await app.inject({ method: 'GET', url: '/v1/alerts', headers: admin })).json() as { items: Alert[] }).items.filter((alert) => alert.source === 'alertmanager');

    await postToAlertmanager(new Date(Date.now() + 3_600_000).toISOString());
    await expect.poll(held, { timeout: 10_000, interval: 200 }).toEqual([expect.objectContaining({ ruleName: 'LiftServiceDown', target: 'billing', severity: 'critical', state: 'firing', summary: 'billing is down' })]);
    const [alert] = await held();
    // Alertmanager fetched its token with the client credentials from the secret file.
    const grant = auth.received.find((request) => request.url === '/v1/oauth/token');
    expect(grant?.body).toContain('grant_type=client_credentials');
    expect(`${grant?.headers.authorization ?? ''} ${grant?.body ?? ''}`).toMatch(/alertmanager/);

    const acknowledged = await app.inject({ method: 'POST', url: `/v1/alerts/${alert?.id}/acknowledge`, headers: admin });
    expect(acknowledged.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'platform-admin-1' });

    await postToAlertmanager(new Date(Date.now() - 1_000).toISOString());
    await expect.poll(held, { timeout: 10_000, interval: 200 }).toEqual([expect.objectContaining({ id: alert?.id, state: 'resolved', resolvedBy: 'alertmanager' })]);
    expect(alertmanager.output()).not.toMatch(/level=error/);
  }, 30_000);
});
