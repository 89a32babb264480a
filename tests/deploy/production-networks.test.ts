import { afterAll, describe, expect, it } from 'vitest';
import { skipUnless } from '../support/skip-rule.js';
import { composeProject, hasDockerCompose, type ComposeConfig } from './compose-project.js';
import { productionAddOns, seedServices } from './seed-services.js';

const skip = skipUnless(hasDockerCompose(), 'the production networks', 'docker-compose (Debian package docker-compose)');

/** The networks a resolved service is on (compose writes them as a list or a mapping). */
function networksOf(config: ComposeConfig, service: string): string[] {
  const networks = config.services[service]?.networks ?? {};
  return (Array.isArray(networks) ? (networks as string[]) : Object.keys(networks)).sort();
}

function subnetOf(config: ComposeConfig, network: string): string | undefined {
  return config.networks?.[network]?.ipam?.config?.[0]?.subnet;
}

/**
 * Who may claim a client address, and who can reach the data stores, in production with both
 * add-on stacks started: a review found the monitoring and logging containers (Elasticsearch
 * without authentication, Filebeat with the Docker socket) on the one network every service
 * trusted, beside a Redis without a password.
 */
describe.skipIf(skip)('the production networks (prod, monitoring and logging together)', () => {
  const project = composeProject();
  afterAll(() => project.remove());
  const config = project.resolved(['docker-compose.prod.yml', ...productionAddOns]);
  const services = seedServices.map((service) => service.name);
  const membersOf = (network: string) => Object.keys(config.services).filter((name) => networksOf(config, name).includes(network)).sort();

  it('puts only the proxy and the gateway on the edge, and the proxy nowhere else', () => {
    expect(membersOf('edge')).toEqual(['gateway', 'proxy']);
    expect(networksOf(config, 'proxy')).toEqual(['edge']);
  });

  it('has the gateway believe only the edge network, and the other services only the platform network', () => {
    expect(config.services.gateway?.environment?.TRUSTED_PROXIES).toBe(subnetOf(config, 'edge'));
    for (const name of services.filter((service) => service !== 'gateway')) {
      expect(config.services[name]?.environment?.TRUSTED_PROXIES, name).toBe(subnetOf(config, 'lift-network'));
    }
  });

  it('keeps the platform network to the services, PostgreSQL and Redis', () => {
    expect(membersOf('lift-network')).toEqual([...services, 'postgres', 'redis'].sort());
    expect(networksOf(config, 'postgres')).toEqual(['lift-network']);
    expect(networksOf(config, 'redis')).toEqual(['lift-network']);
  });

  it('gives the monitoring stack its own network, shared with the services only', () => {
    const monitoring = ['alertmanager', 'grafana', 'jaeger', 'prometheus'];
    for (const name of monitoring) expect(networksOf(config, name), name).toEqual(['monitoring']);
    expect(membersOf('monitoring')).toEqual([...monitoring, ...services].sort());
    const trusted = new Set(Object.values(config.services).map((service) => service.environment?.TRUSTED_PROXIES).filter(Boolean));
    expect(trusted.has(subnetOf(config, 'monitoring'))).toBe(false);
  });

  it('keeps the logging stack on a network no service is on', () => {
    expect(membersOf('logging')).toEqual(['elasticsearch', 'filebeat', 'kibana', 'logstash']);
    for (const name of membersOf('logging')) expect(networksOf(config, name), name).toEqual(['logging']);
  });
});
