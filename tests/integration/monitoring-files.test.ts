import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { commandAvailable, runCommand } from '../support/monitoring-tools.js';
import { startPrometheus } from '../support/prometheus-process.js';
import { startStandIn } from '../support/stand-in-server.js';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';

/**
 * The files in monitoring/ as their own engines check them: Prometheus's configuration and rules
 * with promtool (each rule with a unit test), Alertmanager's with amtool; the container and native
 * variants saying the same thing; Grafana's dashboard reading the provisioned datasource; Jaeger
 * receiving OTLP. Without promtool or amtool a part is skipped loudly; under CI it fails (.ci/run
 * installs both). Whether the queries name metrics the services export is
 * monitoring-metric-names.test.ts; a real Prometheus against the platform, prometheus-scrape.test.ts.
 */
const monitoring = join(repositoryRoot, 'monitoring');
const withPromtool = !skipUnless(commandAvailable('promtool'), 'monitoring files: promtool checks', 'promtool (apt-get install -y prometheus)');
const withPrometheus = !skipUnless(commandAvailable('prometheus'), 'monitoring files: the lift-modules relabelling in a real Prometheus', 'prometheus (apt-get install -y prometheus)');
const withAmtool = !skipUnless(commandAvailable('amtool'), 'monitoring files: amtool checks', 'amtool (apt-get install -y prometheus-alertmanager)');

const yamlFile = (path: string) => parse(readFileSync(join(monitoring, path), 'utf8')) as Record<string, unknown>;
const ruleFiles = readdirSync(join(monitoring, 'prometheus/rules')).filter((name) => name.endsWith('.yml')).sort();
const ruleTests = readdirSync(join(monitoring, 'prometheus/tests')).filter((name) => name.endsWith('.test.yml')).sort();

interface RuleGroups {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}
interface RuleTests {
  rule_files: string[];
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

/**
 * The container file with its addresses written the native way: service names (and each service's
 * replicas found by DNS) → 127.0.0.1 at the same port, the mounted secret → the file `lift up` writes.
 */
function nativeFromContainer(text: string, secretFile: string): string {
  return text
    // Every replica by DNS in containers; natively there is one process per service.
    .replace(/dns_sd_configs:\n(\s+)- names: \[\w+\]\n\s+type: A\n\s+port: (\d+)/g, "static_configs:\n$1- targets: ['127.0.0.1:$2']")
    .replace(/\b(gateway|auth|billing|memory|observability|registry|alertmanager):(\d+)/g, '127.0.0.1:$2')
    .replace(new RegExp(`/etc/\\w+/secrets/${secretFile}`), `../../data/monitoring/${secretFile}`);
}

describe.skipIf(!withPromtool)('Prometheus files, checked by promtool', () => {
  it.each(['prometheus.yml', 'prometheus.native.yml'])('promtool check config %s passes (its rule files included)', (file) => {
    const run = runCommand('promtool', ['check', 'config', file], join(monitoring, 'prometheus'));
    expect(run.output).toMatch(/SUCCESS/);
    // Both variants load every rule file: a glob that matched nothing would still pass.
    for (const rules of ruleFiles) expect(run.output).toContain(`rules/${rules}`);
    expect(run.status).toBe(0);
  });

  it('promtool check rules passes on every rule file', () => {
    const run = runCommand('promtool', ['check', 'rules', ...ruleFiles.map((name) => join('rules', name))], join(monitoring, 'prometheus'));
    expect(run.status, run.output).toBe(0);
    expect(ruleFiles.length).toBeGreaterThan(0);
  });

  it.each(ruleTests)('promtool test rules %s passes', (file) => {
    const run = runCommand('promtool', ['test', 'rules', file], join(monitoring, 'prometheus/tests'));
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/SUCCESS/);
  });

  it('would notice a failing rule test', () => {
    const run = runCommand('promtool', ['test', 'rules', '/dev/stdin']);
    expect(run.status).not.toBe(0);
  });
});

describe('Prometheus rules and their unit tests', () => {
  it('give every alert of every rule file a test in which it fires and one in which it does not', () => {
    for (const file of ruleFiles) {
      const alerts = (yamlFile(`prometheus/rules/${file}`) as unknown as RuleGroups).groups.flatMap((group) => group.rules.map((rule) => rule.alert));
      const testFile = file.replace(/\.yml$/, '.test.yml');
      expect(ruleTests, `${file} has no ${testFile}`).toContain(testFile);
      const tests = yamlFile(`prometheus/tests/${testFile}`) as unknown as RuleTests;
      expect(tests.rule_files).toEqual([`../rules/${file}`]);
      const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
      for (const alert of alerts) {
        expect(cases.some((entry) => entry.alertname === alert && entry.exp_alerts.length > 0), `${alert} never fires in ${testFile}`).toBe(true);
        expect(cases.some((entry) => entry.alertname === alert && entry.exp_alerts.length === 0), `${alert} is never shown quiet in ${testFile}`).toBe(true);
      }
    }
  });

  it('carry a severity and a summary on every alert, as Alertmanager routes and observability shows them', () => {
    for (const file of ruleFiles) {
      for (const rule of (yamlFile(`prometheus/rules/${file}`) as unknown as RuleGroups).groups.flatMap((group) => group.rules)) {
        const alert = rule as { alert: string; labels?: { severity?: string }; annotations?: { summary?: string; description?: string } };
        expect(['critical', 'warning', 'info'], alert.alert).toContain(alert.labels?.severity);
        expect(alert.annotations?.summary, alert.alert).toBeTruthy();
        expect(alert.annotations?.description, alert.alert).toBeTruthy();
      }
    }
  });
});

describe('Prometheus configuration variants', () => {
  it('say the same in containers and natively: only addresses and the secret file differ', () => {
    const container = readFileSync(join(monitoring, 'prometheus/prometheus.yml'), 'utf8');
    const native = yamlFile('prometheus/prometheus.native.yml');
    expect(native).toEqual(parse(nativeFromContainer(container, 'prometheus.client-secret')));
  });

  it('scrape the six services at /metrics on the seed ports, and modules through the registry with the prometheus client', () => {
    const config = yamlFile('prometheus/prometheus.native.yml') as { scrape_configs: Record<string, unknown>[] };
    const byJob = new Map(config.scrape_configs.map((job) => [job.job_name, job]));
    const ports = { gateway: 8000, auth: 8001, billing: 8002, memory: 8003, observability: 8004, registry: 8005 };
    for (const [service, port] of Object.entries(ports)) {
      expect(byJob.get(`lift-${service}`)).toEqual({ job_name: `lift-${service}`, metrics_path: '/metrics', static_configs: [{ targets: [`127.0.0.1:${port}`] }] });
    }
    expect(byJob.get('lift-modules')).toMatchObject({
      http_sd_configs: [
        {
          url: 'http://127.0.0.1:8005/v1/prometheus/targets',
          oauth2: { client_id: 'prometheus', client_secret_file: '../../data/monitoring/prometheus.client-secret', token_url: 'http://127.0.0.1:8001/v1/oauth/token', scopes: ['registry:read'] },
        },
      ],
    });
    expect(byJob.size).toBe(7);
  });

  it('count a module\'s series under the module, whatever `service` its /metrics writes (the lift-modules job overwrites it)', () => {
    for (const file of ['prometheus.yml', 'prometheus.native.yml']) {
      const config = yamlFile(`prometheus/${file}`) as { scrape_configs: Record<string, unknown>[] };
      const modules = config.scrape_configs.find((job) => job.job_name === 'lift-modules');
      expect(modules?.metric_relabel_configs, file).toEqual([{ source_labels: ['module'], target_label: 'service', action: 'replace', regex: '(.+)', replacement: '$1' }]);
    }
  });
});

describe.skipIf(!withPrometheus)('the lift-modules job\'s relabelling, in a real Prometheus', () => {
  it('stores a module\'s service="gateway" lines as the module\'s, its own module label set aside', async () => {
    const module = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end('# TYPE http_requests_total counter\nhttp_requests_total{route="/v1/x",status="500",service="gateway",module="gateway"} 10000\nhttp_requests_total{route="/v1/y",status="200"} 3\n');
    });
    const container = yamlFile('prometheus/prometheus.yml') as { scrape_configs: Record<string, unknown>[] };
    const relabelling = container.scrape_configs.find((job) => job.job_name === 'lift-modules')?.metric_relabel_configs;
    // The job as the registry's discovery gives it, the target's labels written statically.
    const config = { global: { scrape_interval: '1s' }, scrape_configs: [{ job_name: 'lift-modules', static_configs: [{ targets: [new URL(module.url).host], labels: { module: 'evil', job: 'lift-module-evil' } }], metric_relabel_configs: relabelling }] };
    const prometheus = await startPrometheus(stringify(config));
    try {
      const series = async () => {
        const answer = (await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('http_requests_total')}`)).json()) as { data: { result: { metric: Record<string, string> }[] } };
        return answer.data.result.map((entry) => [entry.metric.route, entry.metric.service, entry.metric.module, entry.metric.exported_module]).sort();
      };
      await expect.poll(series, { timeout: 15_000, interval: 250 }).toEqual([
        ['/v1/x', 'evil', 'evil', 'gateway'],
        ['/v1/y', 'evil', 'evil', undefined],
      ]);
    } finally {
      await prometheus.stop();
      await module.close();
    }
  }, 30_000);
});

describe.skipIf(!withAmtool)('Alertmanager configuration, checked by amtool', () => {
  it.each(['alertmanager.yml', 'alertmanager.native.yml'])('amtool check-config %s passes', (file) => {
    const run = runCommand('amtool', ['check-config', file], join(monitoring, 'alertmanager'));
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/SUCCESS/);
  });

  it('would notice a broken one', () => {
    const run = runCommand('amtool', ['check-config', join(monitoring, 'prometheus/prometheus.yml')]);
    expect(run.status).not.toBe(0);
  });
});

describe('Alertmanager configuration', () => {
  it('routes every alert to observability\'s receiver with the alertmanager client\'s token, resolved ones too', () => {
    const container = readFileSync(join(monitoring, 'alertmanager/alertmanager.yml'), 'utf8');
    const native = yamlFile('alertmanager/alertmanager.native.yml') as { route: { receiver: string; routes?: { receiver: string }[] }; receivers: Record<string, unknown>[] };
    expect(native).toEqual(parse(nativeFromContainer(container, 'alertmanager.client-secret')));
    expect(native.receivers).toEqual([
      {
        name: 'lift-observability',
        webhook_configs: [
          {
            url: 'http://127.0.0.1:8004/v1/alertmanager/webhook',
            send_resolved: true,
            max_alerts: 500,
            http_config: { oauth2: { client_id: 'alertmanager', client_secret_file: '../../data/monitoring/alertmanager.client-secret', token_url: 'http://127.0.0.1:8001/v1/oauth/token', scopes: ['observability:alertmanager'] } },
          },
        ],
      },
    ]);
    expect([native.route.receiver, ...(native.route.routes ?? []).map((route) => route.receiver)]).toEqual(expect.arrayContaining(['lift-observability']));
  });
});

describe('monitoring/README.md and the native Alertmanager file', () => {
  const readme = readFileSync(join(monitoring, 'README.md'), 'utf8');
  const nativeAlertmanager = readFileSync(join(monitoring, 'alertmanager/alertmanager.native.yml'), 'utf8');

  it('start Alertmanager by Debian\'s binary name, clustering off (no gossip on 0.0.0.0:9094)', () => {
    const runningNatively = readme.slice(readme.indexOf('## Running natively'), readme.indexOf('## Grafana'));
    const commands = (/```sh\n([\s\S]*?)```/.exec(runningNatively)?.[1] ?? '').replace(/\\\n\s*/g, ' ').split('\n').filter(Boolean);
    expect(commands.map((line) => line.split(' ')[0])).toEqual(['npm', 'prometheus', 'prometheus-alertmanager']);
    expect(commands[2]).toMatch(/--cluster\.listen-address=(\s|$)/);
    const headerCommand = nativeAlertmanager.split('\n').find((line) => line.startsWith('# prometheus-alertmanager '));
    expect(headerCommand).toMatch(/--cluster\.listen-address=$/);
    expect(nativeAlertmanager).not.toMatch(/^# alertmanager /m);
  });

  it('name the route label the gateway gives a path no route matches (its catch-all /*)', () => {
    expect(readme).toContain('`route="/*"`');
  });
});

describe('Grafana provisioning and dashboard', () => {
  const dashboard = JSON.parse(readFileSync(join(monitoring, 'grafana/dashboards/lift-os-core-services.json'), 'utf8')) as { title: string; uid: string; panels: { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string; datasource?: { uid: string } }[] }[] };

  it('reads the provisioned Prometheus datasource by its uid in every panel', () => {
    const { datasources } = yamlFile('grafana/provisioning/datasources/prometheus.yml') as { datasources: { uid: string; type: string }[] };
    expect(datasources).toEqual([expect.objectContaining({ uid: 'lift-prometheus', type: 'prometheus' })]);
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    for (const panel of panels) {
      expect(panel.datasource?.uid, panel.title).toBe('lift-prometheus');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid, panel.title).toBe('lift-prometheus');
    }
  });

  it('applies the $service variable to the Service health panel too', () => {
    const health = dashboard.panels.find((panel) => panel.title === 'Service health');
    expect(health?.targets?.map((target) => target.expr)).toEqual([expect.stringContaining('$service')]);
  });

  it('leaves /metrics scrapes and /health and /ready probes out of request, error and latency figures, as the alerts do', () => {
    const probesOut = 'route!~"/metrics|/health|/ready"';
    const perService = ['Request rate', 'Error rate (5xx)', 'Requests by route', 'Latency p50', 'Latency p95', 'Latency p99'];
    const panelQueries = dashboard.panels.filter((panel) => perService.includes(panel.title)).flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: panel.title, expr: target.expr })));
    const rules = (yamlFile('prometheus/rules/lift-services.yml') as unknown as RuleGroups).groups.flatMap((group) => group.rules);
    const ruleQueries = rules.filter((rule) => rule.alert === 'LiftHighErrorRate' || rule.alert === 'LiftHighLatency').map((rule) => ({ where: rule.alert ?? '', expr: rule.expr }));
    expect(panelQueries).toHaveLength(perService.length);
    expect(ruleQueries).toHaveLength(2);
    for (const { where, expr } of [...panelQueries, ...ruleQueries]) {
      const selectors = [...expr.matchAll(/http_request(?:s_total|_duration_seconds_bucket)(\{[^}]*\})?/g)];
      expect(selectors.length, where).toBeGreaterThan(0);
      for (const [selector] of selectors) expect(selector, where).toContain(probesOut);
    }
  });

  it('is "Lift OS Core Services", with health, request rate, error rate, latency, rate-limit rejections and usage', () => {
    expect(dashboard.title).toBe('Lift OS Core Services');
    const titles = dashboard.panels.map((panel) => panel.title);
    for (const title of ['Service health', 'Request rate', 'Error rate (5xx)', 'Latency p50', 'Latency p95', 'Latency p99', 'Rate-limit rejections', 'Metered API calls through the gateway']) expect(titles).toContain(title);
    const provider = yamlFile('grafana/provisioning/dashboards/lift.yml') as { providers: { type: string; options: { path: string } }[] };
    expect(provider.providers).toEqual([expect.objectContaining({ type: 'file', options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }) })]);
  });
});

describe('Jaeger', () => {
  it('runs all-in-one with an OTLP receiver (HTTP on 4318, gRPC on 4317) feeding its query UI', () => {
    const config = yamlFile('jaeger/jaeger.yml') as {
      service: { extensions: string[]; pipelines: { traces: { receivers: string[]; exporters: string[] } } };
      receivers: { otlp: { protocols: { http: { endpoint: string }; grpc: { endpoint: string } } } };
      exporters: { jaeger_storage_exporter: { trace_storage: string } };
      extensions: { jaeger_storage: { backends: Record<string, unknown> }; jaeger_query: { storage: { traces: string }; http: { endpoint: string } } };
    };
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(config.service.pipelines.traces).toMatchObject({ receivers: ['otlp'], exporters: ['jaeger_storage_exporter'] });
    expect(config.service.extensions).toEqual(expect.arrayContaining(['jaeger_storage', 'jaeger_query']));
    const storage = config.exporters.jaeger_storage_exporter.trace_storage;
    expect(Object.keys(config.extensions.jaeger_storage.backends)).toContain(storage);
    expect(config.extensions.jaeger_query.storage.traces).toBe(storage);
    expect(config.extensions.jaeger_query.http.endpoint).toBe('0.0.0.0:16686');
  });
});
