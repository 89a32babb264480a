import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repositoryRoot } from '../support/service-process.js';

/** What the production files need in .env, with made-up values. */
export const scratchEnv: Readonly<Record<string, string>> = {
  PUBLIC_URL: 'https://lift.example.com',
  CORS_ORIGINS: 'https://console.example.com',
  LIFT_ADMIN_EMAIL: 'admin@example.com',
};

/** Every file under ./secrets the compose files name, with contents a service would accept. */
export const scratchSecrets = {
  database_url: 'postgresql://liftuser:a-long-database-password@postgres:5432/liftoscore',
  postgres_password: 'a-long-database-password',
  service_client_secrets: ['gateway', 'auth', 'billing', 'memory', 'observability', 'registry', 'log-shipper', 'prometheus', 'alertmanager'].map((name) => `${name}:${name}-secret-0123456789abcdef`).join(','),
  gateway_client_secret: 'gateway:gateway-secret-0123456789abcdef',
  billing_client_secret: 'billing:billing-secret-0123456789abcdef',
  memory_client_secret: 'memory:memory-secret-0123456789abcdef',
  observability_client_secret: 'observability:observability-secret-0123456789abcdef',
  registry_client_secret: 'registry:registry-secret-0123456789abcdef',
  lift_admin_password: 'a long admin passphrase',
  'tls_certificate.pem': '-----BEGIN CERTIFICATE-----\n',
  'tls_private_key.pem': '-----BEGIN PRIVATE KEY-----\n',
  prometheus_client_secret: 'prometheus-secret-0123456789abcdef',
  alertmanager_client_secret: 'alertmanager-secret-0123456789abcdef',
  grafana_admin_password: 'a long grafana passphrase',
} as const satisfies Record<string, string>;

export interface ComposeProject {
  readonly dir: string;
  /** `docker-compose -f … <args>` in the copy, with only the given environment. */
  compose(files: readonly string[], args: readonly string[], env?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  /** The files as compose resolves them: merged, interpolated, anchors expanded. */
  resolved(files: readonly string[], env?: Record<string, string>): ComposeConfig;
  remove(): void;
}

export interface PortMapping {
  readonly host_ip?: string;
  readonly published?: number | string;
  readonly target: number;
}

/**
 * docker-compose 1.29 writes a port with a host address in the short form
 * (`127.0.0.1:8001:8001/tcp`) and one without as a mapping: both as a mapping here.
 */
function portMapping(port: PortMapping | string): PortMapping {
  if (typeof port !== 'string') return port;
  const parts = port.replace(/\/(tcp|udp)$/, '').split(':');
  const target = Number(parts.pop());
  const published = parts.pop();
  const hostIp = parts.join(':');
  return { target, ...(published ? { published: Number(published) } : {}), ...(hostIp ? { host_ip: hostIp } : {}) };
}

export interface ComposeService {
  readonly image?: string;
  readonly build?: { context: string; target?: string; dockerfile?: string };
  readonly environment?: Record<string, string | null>;
  readonly ports?: readonly PortMapping[];
  readonly expose?: readonly (string | number)[];
  readonly healthcheck?: { test: readonly string[] | string };
  readonly depends_on?: Record<string, { condition: string }>;
  readonly secrets?: readonly (string | { source: string; target?: string })[];
  readonly volumes?: readonly (string | { source?: string; target: string; type?: string })[];
  readonly networks?: Record<string, unknown>;
  readonly deploy?: { replicas?: number; resources?: { limits?: { memory?: string } } };
}

export interface ComposeConfig {
  readonly services: Record<string, ComposeService>;
  readonly networks?: Record<string, { ipam?: { config?: readonly { subnet?: string }[] } }>;
  readonly secrets?: Record<string, { file: string }>;
}

/**
 * A copy of the repository's deployment files in a temporary directory, with a scratch .env and
 * scratch secret files: compose reads .env from the project's directory, and a test never writes
 * into the repository (nor reads a developer's real .env).
 */
export function composeProject(options: { withEnv?: boolean; withSecrets?: boolean } = {}): ComposeProject {
  const dir = mkdtempSync(join(tmpdir(), 'lift-compose-'));
  for (const entry of ['docker-compose.yml', 'docker-compose.dev.yml', 'docker-compose.prod.yml', 'docker-compose.test.yml', 'docker-compose.logging.yml', 'docker-compose.monitoring.yml', 'Dockerfile', 'tests/Dockerfile', 'configs', 'monitoring']) {
    cpSync(join(repositoryRoot, entry), join(dir, entry), { recursive: true });
  }
  if (options.withEnv !== false) writeFileSync(join(dir, '.env'), Object.entries(scratchEnv).map(([name, value]) => `${name}=${value}\n`).join(''));
  if (options.withSecrets !== false) {
    mkdirSync(join(dir, 'secrets'));
    for (const [name, value] of Object.entries(scratchSecrets)) writeFileSync(join(dir, 'secrets', name), `${value}\n`);
  }
  const compose: ComposeProject['compose'] = (files, args, env = {}) => {
    const result = spawnSync('docker-compose', [...files.flatMap((file) => ['-f', file]), ...args], {
      cwd: dir,
      // Nothing from the developer's shell (a PUBLIC_URL exported there) may change what is checked.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env },
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    dir,
    compose,
    resolved(files, env) {
      const result = compose(files, ['config'], env);
      if (result.status !== 0) throw new Error(`docker-compose config failed for ${files.join(', ')}: ${result.stderr}`);
      const config = parse(result.stdout) as ComposeConfig;
      for (const service of Object.values(config.services)) {
        if (service.ports) (service as { ports: PortMapping[] }).ports = (service.ports as (PortMapping | string)[]).map(portMapping);
      }
      return config;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whether docker-compose (v1.29 or a v2 standalone binary) can be run. */
export function hasDockerCompose(): boolean {
  return spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
}

/** The URL a compose healthcheck asks, from its `test` (CMD form or shell string). */
export function healthcheckUrl(service: ComposeService): string | undefined {
  const test = service.healthcheck?.test ?? '';
  const text = typeof test === 'string' ? test : test.join(' ');
  return /https?:\/\/[^'"\s)]+/.exec(text)?.[0];
}
