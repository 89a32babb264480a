import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { coreServiceNames, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { exportedMetricNames, metricNamesIn } from '../support/promql-metric-names.js';
import { repositoryRoot } from '../support/service-process.js';

/**
 * Every query in monitoring/ — each Grafana panel's and each alert rule's — names metrics the
 * services really export: collected from the /metrics of the six running services after traffic
 * that reaches every kind of series (forwarded, refused, rate-limited, metered). `up` is the one
 * name Prometheus makes itself, for every target.
 */
const monitoring = join(repositoryRoot, 'monitoring');
const madeByPrometheus = new Set(['up']);

interface Dashboard {
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string; query: { query: string } }[] };
}

function dashboardQueries(): { where: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(join(monitoring, 'grafana/dashboards/lift-os-core-services.json'), 'utf8')) as Dashboard;
  const panels = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })));
  // label_values(metric, label) names a metric too.
  const variables = dashboard.templating.list.map((variable) => ({ where: `variable $${variable.name}`, expr: variable.query.query.replace(/^label_values\((\w+),.*\)$/, '$1') }));
  return [...panels, ...variables];
}

function ruleQueries(): { where: string; expr: string }[] {
  return readdirSync(join(monitoring, 'prometheus/rules'))
    .filter((name) => name.endsWith('.yml'))
    .flatMap((file) => {
      const { groups } = parse(readFileSync(join(monitoring, 'prometheus/rules', file), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
      return groups.flatMap((group) => group.rules.map((rule) => ({ where: `rule ${rule.alert} (${file})`, expr: rule.expr })));
    });
}

let stack: PlatformStack;
let exported: Set<string>;
beforeAll(async () => {
  // The gateway's client secret turns usage metering and quotas on (gateway_quota_store_failures_total);
  // a low per-IP limit makes the gateway answer 429.
  stack = await startPlatformStack({ SERVICE_CLIENT_SECRETS: 'gateway:gateway-secret-for-metric-names', RATE_LIMIT_PER_IP: '10' });
  const gateway = stack.gateway.url;
  const traffic = [
    ...coreServiceNames.map((name) => fetch(`${gateway}/${name}/health`)),
    fetch(`${gateway}/auth/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"nobody@example.com","password":"wrong password"}' }),
    fetch(`${gateway}/no/such/route`),
    ...Array.from({ length: 20 }, () => fetch(`${gateway}/auth/v1/me`)),
  ];
  const answers = await Promise.all(traffic);
  for (const answer of answers) await answer.arrayBuffer();
  expect(answers.map((answer) => answer.status)).toContain(429);
  const expositions = await Promise.all([stack.gateway, ...Object.values(stack.services)].map(async (service) => (await fetch(`${service.url}/metrics`)).text()));
  exported = new Set(expositions.flatMap((text) => exportedMetricNames(text)));
});
afterAll(async () => {
  await stack?.stop();
});

describe('the metric names in monitoring/', () => {
  it('are what the services export, in every Grafana panel and variable', () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(15);
    for (const { where, expr } of queries) {
      const names = metricNamesIn(expr);
      expect(names.length, `${where} names no metric: ${expr}`).toBeGreaterThan(0);
      expect({ where, unknown: names.filter((name) => !exported.has(name) && !madeByPrometheus.has(name)) }).toEqual({ where, unknown: [] });
    }
  });

  it('are what the services export, in every alert rule', () => {
    for (const { where, expr } of ruleQueries()) {
      const names = metricNamesIn(expr);
      expect(names.length, `${where} names no metric`).toBeGreaterThan(0);
      expect({ where, unknown: names.filter((name) => !exported.has(name) && !madeByPrometheus.has(name)) }).toEqual({ where, unknown: [] });
    }
  });

  // The Argo Rollouts analysis that decides whether a new version goes on (k8s/overlays/prod).
  it('are what the services export, in the success-rate AnalysisTemplate that judges a rollout', () => {
    const template = parse(readFileSync(join(repositoryRoot, 'k8s/overlays/prod/analysis-template.yaml'), 'utf8')) as { kind: string; spec: { metrics: { name: string; provider: { prometheus: { query: string } } }[] } };
    expect(template.kind).toBe('AnalysisTemplate');
    expect(template.spec.metrics.length).toBeGreaterThan(0);
    for (const metric of template.spec.metrics) {
      const names = metricNamesIn(metric.provider.prometheus.query);
      expect(names, `analysis ${metric.name} names no metric`).toContain('http_requests_total');
      expect({ metric: metric.name, unknown: names.filter((name) => !exported.has(name)) }).toEqual({ metric: metric.name, unknown: [] });
    }
  });

  it('would notice a query naming a metric nobody exports', () => {
    expect(exported).toContain('http_request_duration_seconds_bucket');
    expect(exported).toContain('gateway_upstream_requests_total');
    expect(metricNamesIn('histogram_quantile(0.95, sum by (le, service) (rate(http_request_latency_seconds_bucket{route!="/metrics"}[5m])))').filter((name) => !exported.has(name))).toEqual(['http_request_latency_seconds_bucket']);
    expect(metricNamesIn('label_replace(up{job=~"lift-(a|b)"}, "service", "$1", "job", "lift-(.+)") == 0 and on (job) x:y_total offset 5m > bool 1e3')).toEqual(['up', 'x:y_total']);
  });
});
