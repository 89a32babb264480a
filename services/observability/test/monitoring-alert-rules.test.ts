import { describe, expect, it } from 'vitest';
import { backends, buildMonitoring, platformAdmin, platformViewer, startPlatformStandIns } from './helper.js';

interface Rule {
  id: string;
  name: string;
  kind: string;
  target: string;
  checks: number | null;
  thresholdPercent: number | null;
  forSeconds: number | null;
  channels: { type: string; url: string }[];
}

describe.each(backends)('alert rules on $name', (backend) => {
  it('seeds the default rules once, and lets an admin add, replace and delete rules', async () => {
    const { env } = await startPlatformStandIns();
    const { app, storage } = await buildMonitoring({ postgres: backend.postgres, env });
    const headers = await platformAdmin();
    await app.runMonitoringRound();
    const seeded = (await app.inject({ method: 'GET', url: '/v1/alert-rules', headers })).json() as { items: Rule[] };
    expect(seeded.items.map((rule) => [rule.kind, rule.target])).toEqual([
      ['error_rate', '*'],
      ['module_unhealthy', '*'],
      ['service_down', '*'],
      ['latency_p95', '*'],
    ]);
    expect(seeded.items[2]).toMatchObject({ name: 'Service down', checks: 3, thresholdPercent: null, forSeconds: null });

    const created = await app.inject({
      method: 'POST',
      url: '/v1/alert-rules',
      headers,
      payload: { name: 'Billing errors', kind: 'error_rate', target: 'billing', thresholdPercent: 2.5, forSeconds: 600, severity: 'critical', channels: [{ type: 'slack', url: 'http://127.0.0.1:9/hooks/T000/B000/secret' }] },
    });
    expect(created.statusCode).toBe(201);
    const rule = created.json() as Rule;
    expect(rule).toMatchObject({ kind: 'error_rate', target: 'billing', thresholdPercent: 2.5, forSeconds: 600, checks: null, updatedBy: 'platform-admin-1' });

    // A viewer sees the rule but not the channel's secret path.
    const viewed = await app.inject({ method: 'GET', url: `/v1/alert-rules/${rule.id}`, headers: await platformViewer() });
    expect((viewed.json() as Rule).channels).toEqual([{ type: 'slack', url: 'http://127.0.0.1:9/…' }]);
    expect((await app.inject({ method: 'POST', url: '/v1/alert-rules', headers: await platformViewer(), payload: { name: 'x', kind: 'service_down' } })).statusCode).toBe(403);

    const replaced = await app.inject({ method: 'PUT', url: `/v1/alert-rules/${rule.id}`, headers, payload: { name: 'Billing down', kind: 'service_down', target: 'billing', checks: 2 } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id: rule.id, kind: 'service_down', checks: 2, thresholdPercent: null, forSeconds: null, channels: [] });

    expect((await app.inject({ method: 'DELETE', url: `/v1/alert-rules/${rule.id}`, headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/v1/alert-rules/${rule.id}`, headers })).json()).toMatchObject({ status: 404, code: 'OBSERVABILITY_ALERT_RULE_NOT_FOUND' });
    expect((await app.inject({ method: 'DELETE', url: `/v1/alert-rules/${rule.id}`, headers })).statusCode).toBe(404);

    // A second start on the same tables seeds nothing again.
    const again = await buildMonitoring({ postgres: backend.postgres, env, storage });
    await again.app.runMonitoringRound();
    expect(((await again.app.inject({ method: 'GET', url: '/v1/alert-rules', headers })).json() as { items: Rule[] }).items).toHaveLength(4);
  });

  it('refuses thresholds that are no number, negative or huge, unknown kinds and targets, and fields of another kind', async () => {
    const { env } = await startPlatformStandIns();
    const { app } = await buildMonitoring({ postgres: backend.postgres, env });
    const headers = await platformAdmin();
    const refused = [
      [{ name: 'x', kind: 'error_rate', thresholdPercent: 'NaN' }, 'REQUEST_VALIDATION_FAILED', 'thresholdPercent'],
      [{ name: 'x', kind: 'error_rate', thresholdPercent: -1 }, 'REQUEST_VALIDATION_FAILED', 'thresholdPercent'],
      [{ name: 'x', kind: 'error_rate', thresholdPercent: 0 }, 'REQUEST_VALIDATION_FAILED', 'thresholdPercent'],
      [{ name: 'x', kind: 'error_rate', thresholdPercent: 1e308 }, 'REQUEST_VALIDATION_FAILED', 'thresholdPercent'],
      [{ name: 'x', kind: 'latency_p95', thresholdMs: 1e12 }, 'REQUEST_VALIDATION_FAILED', 'thresholdMs'],
      [{ name: 'x', kind: 'service_down', checks: 2.5 }, 'REQUEST_VALIDATION_FAILED', 'checks'],
      [{ name: 'x', kind: 'service_down', checks: 0 }, 'REQUEST_VALIDATION_FAILED', 'checks'],
      [{ name: 'x', kind: 'error_rate', thresholdPercent: 5, forSeconds: -60 }, 'REQUEST_VALIDATION_FAILED', 'forSeconds'],
      [{ name: 'x', kind: 'disk_full' }, 'REQUEST_VALIDATION_FAILED', 'kind'],
      [{ name: 'x', kind: 'service_down', surprise: true }, 'REQUEST_VALIDATION_FAILED', 'surprise'],
      [{ name: '   ', kind: 'service_down' }, 'REQUEST_VALIDATION_FAILED', 'name'],
      [{ name: 'x', kind: 'error_rate' }, 'OBSERVABILITY_ALERT_RULE_INVALID', 'body.thresholdPercent'],
      [{ name: 'x', kind: 'service_down', thresholdMs: 100 }, 'OBSERVABILITY_ALERT_RULE_INVALID', 'body.thresholdMs'],
      [{ name: 'x', kind: 'module_unhealthy', checks: 3 }, 'OBSERVABILITY_ALERT_RULE_INVALID', 'body.checks'],
      [{ name: 'x', kind: 'service_down', target: 'mainframe' }, 'OBSERVABILITY_ALERT_RULE_INVALID', 'body.target'],
      [{ name: 'x', kind: 'module_unhealthy', target: 'Not A Module!' }, 'OBSERVABILITY_ALERT_RULE_INVALID', 'body.target'],
      [{ name: 'x', kind: 'module_unhealthy', target: 'gateway' }, 'OBSERVABILITY_ALERT_RULE_INVALID', 'body.target'],
    ] as const;
    for (const [payload, code, field] of refused) {
      const answer = await app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload });
      expect(answer.statusCode, JSON.stringify(payload)).toBe(400);
      expect(answer.json().code, JSON.stringify(payload)).toBe(code);
      expect(JSON.stringify(answer.json()), JSON.stringify(payload)).toContain(field);
    }
    expect(((await app.inject({ method: 'GET', url: '/v1/alert-rules', headers })).json() as { items: Rule[] }).items).toHaveLength(4);
  });

  it('refuses webhooks to metadata, link-local and (unless allowed) loopback addresses', async () => {
    const { env } = await startPlatformStandIns();
    const strict = await buildMonitoring({ postgres: backend.postgres, env: { ...env, ALERT_WEBHOOK_ALLOWED_NETWORKS: '' } });
    const headers = await platformAdmin();
    const urls = ['http://169.254.169.254/latest/meta-data', 'http://[::ffff:169.254.169.254]/', 'http://localhost:9000/hook', 'http://127.0.0.1:9000/hook', 'http://0x7f.1/hook', 'http://metadata.google.internal/', 'ftp://example.com/hook', 'http://user:pw@example.com/', 'not a url', 'http://168.63.129.16/'];
    for (const url of urls) {
      const answer = await strict.app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'x', kind: 'service_down', channels: [{ type: 'webhook', url }] } });
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json(), url).toMatchObject({ code: 'OBSERVABILITY_WEBHOOK_URL_REFUSED', field: 'body.channels[0].url' });
    }
    // Each refusal says why, and names ALERT_WEBHOOK_ALLOWED_NETWORKS only where listing a network would help.
    const refusal = async (url: string) => ((await strict.app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'x', kind: 'service_down', channels: [{ type: 'webhook', url }] } })).json() as { detail: string }).detail;
    expect(await refusal('http://169.254.169.254/latest/meta-data')).toBe('The webhook URL points at 169.254.169.254, a link-local, metadata or reserved address.');
    expect(await refusal('http://168.63.129.16/machine?comp=goalstate')).toBe('The webhook URL points at 168.63.129.16, a link-local, metadata or reserved address.');
    expect(await refusal('http://metadata.google.internal/')).toBe('The webhook URL points at a cloud metadata service.');
    expect(await refusal('not a url')).toBe('The webhook URL is not a URL.');
    expect(await refusal('http://10.0.0.5/hook')).toBe('The webhook URL points at 10.0.0.5, a loopback or private address, which ALERT_WEBHOOK_ALLOWED_NETWORKS does not list.');
    // With loopback allowed (development), a local receiver is fine; metadata never is.
    const relaxed = await buildMonitoring({ postgres: backend.postgres, env });
    expect((await relaxed.app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'x', kind: 'service_down', channels: [{ type: 'webhook', url: 'http://localhost:9000/hook' }] } })).statusCode).toBe(201);
    for (const url of ['http://169.254.169.254/', 'http://168.63.129.16/']) {
      expect((await relaxed.app.inject({ method: 'POST', url: '/v1/alert-rules', headers, payload: { name: 'x', kind: 'service_down', channels: [{ type: 'webhook', url }] } })).statusCode, url).toBe(400);
    }
  });
});
