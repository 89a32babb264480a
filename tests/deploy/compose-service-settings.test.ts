import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { composeProject, hasDockerCompose, healthcheckUrl, type ComposeConfig } from './compose-project.js';
import { kitTracingVariables, platformComposeFiles, seedServices, serviceNamedBy } from './seed-services.js';

const skip = skipUnless(hasDockerCompose(), 'the services\' settings in the compose files', 'docker-compose (Debian package docker-compose)');

describe.skipIf(skip)('every service\'s settings agree across the compose files and its configuration schema', () => {
  const project = composeProject();
  afterAll(() => project.remove());
  const resolved = new Map<string, ComposeConfig>(platformComposeFiles.map((file) => [file, project.resolved([file])]));
  const tracingVariables = kitTracingVariables();

  describe.each(platformComposeFiles)('%s', (file) => {
    const config = resolved.get(file) as ComposeConfig;

    it.each(seedServices)('$name: every variable it sets is one the service reads', ({ name, schema }) => {
      const environment = config.services[name]?.environment ?? {};
      const unknown = Object.keys(environment).filter((variable) => !(variable in schema.properties) && !tracingVariables.has(variable));
      expect(unknown).toEqual([]);
    });

    it.each(seedServices)('$name: PORT, published port and healthcheck use its own seed port', ({ name, port }) => {
      const service = config.services[name];
      expect(service).toBeDefined();
      const environment = service?.environment ?? {};
      if ('PORT' in environment) expect(Number(environment.PORT)).toBe(port);
      for (const mapping of service?.ports ?? []) {
        expect(mapping.target).toBe(port);
        expect(Number(mapping.published)).toBe(port);
      }
      for (const exposed of service?.expose ?? []) expect(Number(exposed)).toBe(port);
      expect(healthcheckUrl(service ?? {})).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/(ready|health)$`));
    });

    it.each(seedServices)('$name: every URL of a platform service points at that service\'s compose name and seed port', ({ name }) => {
      const environment = config.services[name]?.environment ?? {};
      for (const [variable, value] of Object.entries(environment)) {
        const target = serviceNamedBy(variable);
        if (target === undefined || value === '' || value === null) continue;
        expect(`${variable}=${value}`).toBe(`${variable}=http://${target.name}:${target.port}`);
      }
    });

    it.each(seedServices)('$name: waits for what it depends on to be healthy, and each of those has a healthcheck', ({ name }) => {
      const dependsOn = config.services[name]?.depends_on ?? {};
      for (const [dependency, { condition }] of Object.entries(dependsOn)) {
        expect(`${dependency}: ${condition}`).toBe(`${dependency}: service_healthy`);
        expect(config.services[dependency]?.healthcheck, `${dependency} has no healthcheck`).toBeDefined();
      }
    });

    // Regression: the local files trusted the whole subnet, which holds the network's gateway
    // address that connections to published ports come from (Docker's proxy).
    it('has the services believe X-Forwarded-For only from the gateway, or from a network with no published port', () => {
      const subnets = Object.values(config.networks ?? {}).flatMap((network) => (network.ipam?.config ?? []).map((entry) => entry.subnet));
      const gatewayNetworks = (config.services.gateway?.networks ?? {}) as Record<string, { ipv4_address?: string } | null>;
      const gatewayAddress = Object.values(gatewayNetworks).find((network) => network?.ipv4_address)?.ipv4_address;
      for (const { name } of seedServices.filter((service) => service.name !== 'gateway')) {
        const trusted = config.services[name]?.environment?.TRUSTED_PROXIES;
        if (gatewayAddress) {
          expect(trusted, name).toBe(`${gatewayAddress}/32`);
        } else {
          expect(subnets, `${name}: TRUSTED_PROXIES=${trusted}`).toContain(trusted);
          expect(config.services[name]?.ports ?? [], `${name} publishes a port beside a whole-subnet trust`).toEqual([]);
        }
      }
    });

    it('publishes the services behind the gateway on the host\'s loopback only', () => {
      for (const { name } of seedServices.filter((service) => service.name !== 'gateway')) {
        for (const port of config.services[name]?.ports ?? []) expect((port as { host_ip?: string }).host_ip, name).toBe('127.0.0.1');
      }
    });
  });

  it.each(seedServices)('docker-compose.yml builds $name from the root Dockerfile\'s target of that name, with the label arguments', ({ name }) => {
    const build = resolved.get('docker-compose.yml')?.services[name]?.build as { context: string; target?: string; dockerfile?: string; args?: Record<string, string> } | undefined;
    expect(build?.target).toBe(name);
    expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
    expect(Object.keys(build?.args ?? {}).sort()).toEqual(['GIT_REVISION', 'SOURCE_URL', 'VERSION']);
  });

  describe('docker-compose.prod.yml', () => {
    const config = resolved.get('docker-compose.prod.yml') as ComposeConfig;
    const envExample = readFileSync(join(repositoryRoot, '.env.example'), 'utf8');

    it.each(seedServices)('$name: runs the image lift/$name, tagged by the <SERVICE>_VERSION .env.example documents', ({ name }) => {
      const variable = `${name.toUpperCase()}_VERSION`;
      expect(envExample).toMatch(new RegExp(`^${variable}=`, 'm'));
      expect(config.services[name]?.image).toBe(`lift/${name}:latest`);
      const tagged = project.resolved(['docker-compose.prod.yml'], { [variable]: '1.2.3' });
      expect(tagged.services[name]?.image).toBe(`lift/${name}:1.2.3`);
    });

    it.each(seedServices)('$name: production mode, no host port, no secret in the file', ({ name }) => {
      const service = config.services[name];
      const environment = service?.environment ?? {};
      expect(environment.NODE_ENV).toBe('production');
      expect(service?.ports ?? []).toEqual([]);
      const mounted = (service?.secrets ?? []).map((secret) => (typeof secret === 'string' ? secret : secret.source));
      for (const [variable, value] of Object.entries(environment)) {
        if (!/SECRET|PASSWORD|TOKEN|KEY|DATABASE_URL/.test(variable) || value === '' || value === null) continue;
        const reference = /^file:\/run\/secrets\/([a-z_]+)$/.exec(value);
        expect(reference, `${name}: ${variable} must be a file: reference to a mounted secret`).not.toBeNull();
        expect(mounted).toContain(reference?.[1]);
      }
    });

    it('puts the proxy alone on 80 and 443, in front of the gateway replicas', () => {
      const published = Object.entries(config.services).flatMap(([name, service]) => (service.ports ?? []).map((mapping) => `${name}:${mapping.published}->${mapping.target}`));
      expect(published.sort()).toEqual(['proxy:443->443', 'proxy:80->80']);
      expect(config.services.gateway?.deploy?.replicas).toBeGreaterThan(1);
      expect(config.services.proxy?.depends_on?.gateway?.condition).toBe('service_healthy');
      const nginx = readFileSync(join(repositoryRoot, 'configs/gateway/nginx.conf'), 'utf8');
      expect(nginx).toMatch(/set \$gateway http:\/\/gateway:8000;/);
      expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
      expect(nginx).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    });

    it('keeps the seed\'s replicas and memory limits', () => {
      const shape = Object.fromEntries(seedServices.map(({ name }) => [name, { replicas: config.services[name]?.deploy?.replicas ?? 1, memory: config.services[name]?.deploy?.resources?.limits?.memory }]));
      expect(shape).toEqual({
        gateway: { replicas: 2, memory: '512M' },
        auth: { replicas: 3, memory: '512M' },
        billing: { replicas: 2, memory: undefined },
        memory: { replicas: 2, memory: '1G' },
        observability: { replicas: 1, memory: undefined },
        registry: { replicas: 2, memory: undefined },
      });
    });

    it('runs PostgreSQL 15 and Redis 7 with its append-only file', () => {
      expect(config.services.postgres?.image).toMatch(/^postgres:15(\.|-|$)/);
      expect(config.services.redis?.image).toMatch(/^redis:7(\.|-|$)/);
      expect(JSON.stringify((config.services.redis as { command?: unknown }).command)).toMatch(/"--appendonly","yes"/);
    });
  });
});
