import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@lift/kit';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { hasKustomize5, overlayNames, renderOverlay, type KubernetesObject } from './kubernetes-manifests.js';
import { containerEnvironment, podTemplates, portNumber, secretContents, serviceContainer, serviceDeployment, type Container, type PodTemplate } from './kubernetes-pods.js';
import { kitTracingVariables, seedServices, serviceNamedBy, type SeedService } from './seed-services.js';

const skip = skipUnless(hasKustomize5(), 'the Kubernetes workloads', 'a kubectl with Kustomize 5 (the machine image\'s /usr/bin/kubectl)');

const secretsMount = '/run/secrets';
const servicesWithDatabase = seedServices.filter((service) => 'DATABASE_URL' in service.schema.properties);

function allContainers(template: PodTemplate): Container[] {
  return [...(template.spec.initContainers ?? []), ...template.spec.containers];
}

/** What the Dockerfile's target of that service runs: its CMD. */
function imageCommand(service: string): string[] {
  const dockerfile = readFileSync(join(repositoryRoot, 'Dockerfile'), 'utf8');
  const target = dockerfile.split(/^FROM /m).find((stage) => new RegExp(`^service-runtime AS ${service}\\b`).test(stage));
  const command = target && /^CMD (\[.*\])$/m.exec(target)?.[1];
  if (!command) throw new Error(`no CMD in the Dockerfile's ${service} target`);
  return JSON.parse(command) as string[];
}

/** Values like production's for the files of each service's Secret, where the overlay has none (External Secrets). */
function standInSecret(key: string, service: SeedService): string {
  const clientSecret = (name: string) => `${name}:stand-in-${name}-client-secret`;
  const values: Record<string, string> = {
    database_url: 'postgresql://lift@db.example.com:5432/liftoscore',
    redis_url: 'rediss://:stand-in-password@redis.example.com:6380',
    service_client_secrets: service.name === 'auth' ? seedServices.filter((other) => other.name !== 'auth').map((other) => clientSecret(other.name)).join(',') : clientSecret(service.name),
    lift_admin_password: 'stand-in-operator-passphrase',
    smtp_url: 'smtps://lift:stand-in@smtp.example.com:465',
  };
  const value = values[key];
  if (value === undefined) throw new Error(`no stand-in for the secret file ${key}; add one`);
  return value;
}

describe.skipIf(skip).each(overlayNames())('k8s/overlays/%s', (overlay) => {
  const objects: KubernetesObject[] = skip ? [] : renderOverlay(overlay);
  const scratch = mkdtempSync(join(tmpdir(), 'lift-k8s-secrets-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe.each(seedServices)('$name', (service) => {
    const deployment = () => serviceDeployment(objects, service.name);
    const container = () => serviceContainer(deployment(), service.name);

    it('listens, is reached and is probed on its own seed port: startup and liveness /health, readiness /ready', () => {
      const main = container();
      expect(main.image).toMatch(new RegExp(`^lift/${service.name}(:|$)`));
      expect(portNumber(main, 'http')).toBe(service.port);
      const environment = containerEnvironment(objects, main);
      // The image sets PORT to the seed port; a ConfigMap may only repeat it.
      if ('PORT' in environment) expect(Number(environment.PORT)).toBe(service.port);
      const probes = { startup: main.startupProbe, liveness: main.livenessProbe, readiness: main.readinessProbe };
      expect(Object.fromEntries(Object.entries(probes).map(([kind, probe]) => [kind, probe?.httpGet && `${portNumber(main, probe.httpGet.port)}${probe.httpGet.path}`]))).toEqual({
        startup: `${service.port}/health`,
        liveness: `${service.port}/health`,
        readiness: `${service.port}/ready`,
      });
      const kubernetesService = objects.find((object) => object.kind === 'Service' && object.metadata.name === service.name) as KubernetesObject & { spec: { selector: Record<string, string>; ports: { port: number; targetPort: number | string }[] } };
      expect(kubernetesService.spec.ports.map((port) => [port.port, portNumber(main, port.targetPort)])).toEqual([[service.port, service.port]]);
      expect(kubernetesService.spec.selector).toEqual({ 'app.kubernetes.io/name': service.name });
      expect(deployment().spec.template?.metadata.annotations?.['prometheus.io/port']).toBe(String(service.port));
    });

    it('drains before it stops: preStop, then SHUTDOWN_DELAY_MS, all inside terminationGracePeriodSeconds', () => {
      const main = container();
      const environment = containerEnvironment(objects, main);
      const preStop = main.lifecycle?.preStop;
      const preStopSeconds = preStop?.sleep?.seconds ?? Number(preStop?.exec?.command.join(' ').match(/^sleep (\d+)$/)?.[1]);
      const delayMs = Number(environment.SHUTDOWN_DELAY_MS);
      const timeoutMs = Number(environment.SHUTDOWN_TIMEOUT_MS);
      const grace = deployment().spec.template?.spec.terminationGracePeriodSeconds ?? 30;
      // Endpoints take a moment to drop a terminating pod: at least a few seconds of serving after it starts terminating.
      expect(preStopSeconds).toBeGreaterThanOrEqual(3);
      expect(delayMs).toBeGreaterThan(0);
      // The delay and the in-flight requests fit in the service's own forced-exit timeout…
      expect(timeoutMs).toBeGreaterThanOrEqual(delayMs + 10_000);
      // …and that ends before the kubelet's SIGKILL, with a margin.
      expect(grace).toBeGreaterThanOrEqual(preStopSeconds + timeoutMs / 1000 + 3);
    });

    it('sets only variables the service reads, and every URL of a platform service to that service\'s Service and port', () => {
      const environment = containerEnvironment(objects, container());
      const tracing = kitTracingVariables();
      expect(Object.keys(environment).filter((name) => !(name in service.schema.properties) && !tracing.has(name))).toEqual([]);
      const serviceUrls = Object.keys(service.schema.properties).filter((name) => serviceNamedBy(name) !== undefined);
      for (const name of serviceUrls) {
        const target = serviceNamedBy(name) as SeedService;
        // Every one is set: the schema's default (127.0.0.1) is nowhere in a cluster.
        expect(`${name}=${environment[name]}`).toBe(`${name}=http://${target.name}:${target.port}`);
      }
    });

    it('reads its secrets from files of its own Secret, mounted read-only, never from a ConfigMap value', () => {
      const main = container();
      const environment = containerEnvironment(objects, main);
      const secretVolume = deployment().spec.template?.spec.volumes?.find((volume) => volume.secret !== undefined);
      const mount = main.volumeMounts?.find((candidate) => candidate.name === secretVolume?.name);
      expect(mount).toMatchObject({ mountPath: secretsMount, readOnly: true });
      const contents = secretContents(objects, secretVolume?.secret?.secretName ?? '');
      expect(contents, `no Secret or ExternalSecret makes ${secretVolume?.secret?.secretName}`).toBeDefined();
      for (const [name, value] of Object.entries(environment)) {
        const reference = /^file:\/run\/secrets\/(.+)$/.exec(value);
        if (reference) expect([...(contents?.keys() ?? [])], `${name} reads ${reference[1]}`).toContain(reference[1]);
        else if (/SECRET|PASSWORD|TOKEN|_KEY$|DATABASE_URL|REDIS_URL|SMTP_URL/.test(name)) expect(value, `${name} must be a file: reference`).toBe('');
      }
    });

    it('starts with this configuration: the service\'s own schema accepts it, production requirements included', async () => {
      const environment = containerEnvironment(objects, container());
      const secretName = deployment().spec.template?.spec.volumes?.find((volume) => volume.secret !== undefined)?.secret?.secretName ?? '';
      const directory = mkdtempSync(join(scratch, `${service.name}-`));
      for (const [key, value] of secretContents(objects, secretName) ?? []) writeFileSync(join(directory, key), value ?? standInSecret(key, service));
      const local = Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value.replace(`file:${secretsMount}/`, `file:${directory}/`)]));
      const config = await loadConfig(service.schema, { env: local, requiredInProduction: service.requiredInProduction }).catch((error: unknown) => {
        throw error instanceof ConfigError ? new Error(error.problems.join('\n')) : error;
      });
      expect(config.NODE_ENV).toBe('production');
    });

    it(`${servicesWithDatabase.includes(service) ? 'migrates before it serves: an init container runs the image\'s own main.js with migrate, configured as the service is' : 'has no migrations to run'}`, () => {
      const template = deployment().spec.template as PodTemplate;
      if (!servicesWithDatabase.includes(service)) {
        expect(template.spec.initContainers ?? []).toEqual([]);
        return;
      }
      const migrate = template.spec.initContainers?.find((candidate) => candidate.name === 'migrate');
      expect(migrate?.image).toBe(container().image);
      expect(migrate?.command).toEqual([...imageCommand(service.name), 'migrate']);
      expect(migrate?.envFrom).toEqual(container().envFrom);
      expect(migrate?.volumeMounts?.find((mount) => mount.mountPath === secretsMount)?.readOnly).toBe(true);
    });
  });

  it('runs every container as non-root on a read-only root filesystem, without privilege escalation or capabilities', () => {
    const templates = podTemplates(objects);
    expect(templates.length).toBeGreaterThanOrEqual(6);
    const problems = templates.flatMap(({ owner, template }) =>
      allContainers(template).flatMap((candidate) => {
        const pod = template.spec.securityContext ?? {};
        const own = candidate.securityContext ?? {};
        const found: string[] = [];
        if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) found.push('runAsNonRoot');
        if ((own.runAsUser ?? pod.runAsUser) === 0) found.push('runAsUser 0');
        if (own.readOnlyRootFilesystem !== true) found.push('readOnlyRootFilesystem');
        if (own.allowPrivilegeEscalation !== false) found.push('allowPrivilegeEscalation');
        if (own.privileged === true) found.push('privileged');
        if (!(own.capabilities?.drop ?? []).includes('ALL') || (own.capabilities?.add ?? []).length > 0) found.push('capabilities');
        if ((own.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault') found.push('seccompProfile');
        return found.map((problem) => `${owner}/${candidate.name}: ${problem}`);
      }),
    );
    expect(problems).toEqual([]);
  });

  // What Pod Security "restricted" refuses at the pod level (the namespace enforces it; this finds it before a cluster does).
  it('shares nothing of the node: no host network, PID or IPC namespace, host path, host port or sysctl', () => {
    const problems = podTemplates(objects).flatMap(({ owner, template }) => {
      const spec = template.spec as PodTemplate['spec'] & { hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean; securityContext?: { sysctls?: unknown[] } };
      const volumes = (spec.volumes ?? []) as readonly (Record<string, unknown> & { name: string })[];
      return [
        ...(['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((field) => spec[field] === true).map((field) => `${owner}: ${field}`),
        ...volumes.filter((volume) => volume.hostPath !== undefined).map((volume) => `${owner}: hostPath volume ${volume.name}`),
        ...allContainers(template).flatMap((container) => (container.ports ?? []).filter((port) => (port as { hostPort?: number }).hostPort !== undefined).map(() => `${owner}/${container.name}: hostPort`)),
        ...((spec.securityContext?.sysctls ?? []).length > 0 ? [`${owner}: sysctls`] : []),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('gives every container a writable directory only where it mounts an emptyDir, a claim or a read-only secret', () => {
    const problems = podTemplates(objects).flatMap(({ owner, template, claims }) =>
      allContainers(template).flatMap((candidate) =>
        (candidate.volumeMounts ?? []).flatMap((mount) => {
          const volume = template.spec.volumes?.find((candidate) => candidate.name === mount.name);
          if (volume?.emptyDir || claims.includes(mount.name)) return [];
          if ((volume?.secret || volume?.configMap) && mount.readOnly) return [];
          return [`${owner}/${candidate.name}: ${mount.mountPath}`];
        }),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('sets resources on every container: CPU and memory requested, memory limited', () => {
    const problems = podTemplates(objects).flatMap(({ owner, template }) =>
      allContainers(template).flatMap((candidate) => {
        const { requests = {}, limits = {} } = candidate.resources ?? {};
        return requests.cpu && requests.memory && limits.memory ? [] : [`${owner}/${candidate.name}`];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('keeps the service account token out of every pod (nothing calls the Kubernetes API)', () => {
    expect(podTemplates(objects).filter(({ template }) => template.spec.automountServiceAccountToken !== false).map(({ owner }) => owner)).toEqual([]);
  });

  it('enforces the restricted pod security profile on the namespace', () => {
    const namespace = objects.find((object) => object.kind === 'Namespace');
    expect(namespace?.metadata.name).toBe('lift');
    expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
