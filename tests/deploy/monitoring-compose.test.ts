import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from '../support/service-process.js';
import { seedServices } from './seed-services.js';

interface Service {
  image: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  secrets?: (string | { source: string; target: string })[];
}

const read = (path: string) => readFileSync(join(repositoryRoot, path), 'utf8');
const compose = parse(read('docker-compose.monitoring.yml')) as { services: Record<string, Service> };
const prometheus = parse(read('monitoring/prometheus/prometheus.yml')) as {
  scrape_configs: { job_name: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; type: string; port: number }[]; http_sd_configs?: { oauth2: { client_secret_file: string } }[] }[];
};
const alertmanager = parse(read('monitoring/alertmanager/alertmanager.yml')) as { receivers: { webhook_configs: { http_config: { oauth2: { client_secret_file: string } } }[] }[] };

/** Host path → container path of a service's bind mounts. */
function bindMounts(service: Service | undefined): Map<string, string> {
  return new Map((service?.volumes ?? []).filter((volume) => volume.startsWith('./')).map((volume) => [volume.split(':')[0] as string, volume.split(':')[1] as string]));
}

const secretTargets = (service: Service | undefined) => (service?.secrets ?? []).map((secret) => (typeof secret === 'string' ? `/run/secrets/${secret}` : secret.target));

describe('docker-compose.monitoring.yml runs the files in monitoring/', () => {
  it('mounts files that exist, never copies', () => {
    const mounted = Object.values(compose.services).flatMap((service) => [...bindMounts(service).keys()]);
    expect(mounted.length).toBeGreaterThan(0);
    for (const path of mounted) expect(existsSync(join(repositoryRoot, path)), path).toBe(true);
    expect(mounted.every((path) => path.startsWith('./monitoring/'))).toBe(true);
  });

  it('gives Prometheus its configuration and rules where prometheus.yml expects them, and its client secret where it looks', () => {
    const mounts = bindMounts(compose.services.prometheus);
    expect(mounts.get('./monitoring/prometheus/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    expect(mounts.get('./monitoring/prometheus/rules')).toBe('/etc/prometheus/rules');
    expect(compose.services.prometheus?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    const secretFiles = prometheus.scrape_configs.flatMap((job) => (job.http_sd_configs ?? []).map((sd) => sd.oauth2.client_secret_file));
    expect(secretFiles.length).toBeGreaterThan(0);
    for (const file of secretFiles) expect(secretTargets(compose.services.prometheus)).toContain(file);
  });

  it('scrapes every replica of each service, found by its compose name, on its seed port', () => {
    for (const { name, port } of seedServices) {
      const job = prometheus.scrape_configs.find((candidate) => candidate.job_name === `lift-${name}`);
      expect(job?.static_configs).toBeUndefined();
      expect(job?.dns_sd_configs).toEqual([{ names: [name], type: 'A', port }]);
    }
  });

  it('gives Alertmanager its configuration and its client secret where it looks', () => {
    expect(bindMounts(compose.services.alertmanager).get('./monitoring/alertmanager/alertmanager.yml')).toBe('/etc/alertmanager/alertmanager.yml');
    const secretFiles = alertmanager.receivers.flatMap((receiver) => receiver.webhook_configs.map((webhook) => webhook.http_config.oauth2.client_secret_file));
    for (const file of secretFiles) expect(secretTargets(compose.services.alertmanager)).toContain(file);
  });

  it('provisions Grafana from monitoring/grafana where its provider looks for dashboards', () => {
    const mounts = bindMounts(compose.services.grafana);
    expect(mounts.get('./monitoring/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const provider = parse(read('monitoring/grafana/provisioning/dashboards/lift.yml')) as { providers: { options: { path: string } }[] };
    expect(mounts.get('./monitoring/grafana/dashboards')).toBe(provider.providers[0]?.options.path);
  });

  it('starts Jaeger with monitoring/jaeger/jaeger.yml', () => {
    const mounts = bindMounts(compose.services.jaeger);
    const target = mounts.get('./monitoring/jaeger/jaeger.yml');
    expect(compose.services.jaeger?.command).toEqual(['--config', target]);
  });

  it('publishes the engines\' UIs on the host\'s loopback only', () => {
    const published = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(published.length).toBeGreaterThan(0);
    for (const mapping of published) expect(mapping).toMatch(/^127\.0\.0\.1:/);
  });
});
