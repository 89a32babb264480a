import type { KubernetesObject } from './kubernetes-manifests.js';

/** The parts of a pod the deployment tests read (the schemas themselves are checked elsewhere). */
export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: number | string };
  readonly exec?: { readonly command: readonly string[] };
  readonly periodSeconds?: number;
  readonly failureThreshold?: number;
  readonly timeoutSeconds?: number;
}

export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly privileged?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
  readonly seccompProfile?: { readonly type: string };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly envFrom?: readonly { readonly configMapRef?: { readonly name: string }; readonly secretRef?: { readonly name: string } }[];
  readonly env?: readonly { readonly name: string; readonly value?: string; readonly valueFrom?: unknown }[];
  readonly securityContext?: SecurityContext;
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  readonly startupProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly lifecycle?: { readonly preStop?: { readonly exec?: { readonly command: readonly string[] }; readonly sleep?: { readonly seconds: number } } };
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
}

export interface Volume {
  readonly name: string;
  readonly emptyDir?: object;
  readonly secret?: { readonly secretName: string; readonly defaultMode?: number };
  readonly configMap?: { readonly name: string };
  readonly persistentVolumeClaim?: object;
}

export interface PodTemplate {
  readonly metadata: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec: {
    readonly containers: readonly Container[];
    readonly initContainers?: readonly Container[];
    readonly volumes?: readonly Volume[];
    readonly securityContext?: SecurityContext & { readonly fsGroup?: number };
    readonly terminationGracePeriodSeconds?: number;
    readonly automountServiceAccountToken?: boolean;
  };
}

export interface Workload extends KubernetesObject {
  readonly spec: { readonly replicas?: number; readonly template?: PodTemplate; readonly volumeClaimTemplates?: readonly { readonly metadata: { readonly name: string } }[] };
}

/** Every pod template an overlay runs, with what owns it: Deployments, StatefulSets, Jobs, Rollouts with a template of their own. */
export function podTemplates(objects: readonly KubernetesObject[]): { owner: string; template: PodTemplate; claims: readonly string[] }[] {
  return objects
    .filter((object) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Rollout'].includes(object.kind))
    .flatMap((object) => {
      const workload = object as Workload;
      const template = workload.spec.template;
      if (template === undefined) return [];
      return [{ owner: `${object.kind} ${object.metadata.name}`, template, claims: (workload.spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata.name) }];
    });
}

/** The Deployment that defines a service's pods (in prod its Rollout runs them through workloadRef). */
export function serviceDeployment(objects: readonly KubernetesObject[], service: string): Workload {
  const found = objects.filter((object) => object.kind === 'Deployment' && object.metadata.name === service);
  if (found.length !== 1) throw new Error(`expected one Deployment ${service}, found ${found.length}`);
  return found[0] as Workload;
}

export function serviceContainer(deployment: Workload, service: string): Container {
  const container = deployment.spec.template?.spec.containers.find((candidate) => candidate.name === service);
  if (container === undefined) throw new Error(`Deployment ${service} has no container ${service}`);
  return container;
}

/** A probe's or rule's port as a number: a name is looked up among the container's ports. */
export function portNumber(container: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/** The environment a container starts with: its ConfigMaps in order (later wins), then env values. */
export function containerEnvironment(objects: readonly KubernetesObject[], container: Container): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef === undefined) continue;
    const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === source.configMapRef?.name) as (KubernetesObject & { data?: Record<string, string> }) | undefined;
    if (configMap === undefined) throw new Error(`container ${container.name} reads ConfigMap ${source.configMapRef.name}, which the overlay does not have`);
    Object.assign(environment, configMap.data ?? {});
  }
  for (const variable of container.env ?? []) if (variable.value !== undefined) environment[variable.name] = variable.value;
  return environment;
}

/**
 * The keys the Secret of that name will hold: a Secret in the overlay (its data, values decoded),
 * or an ExternalSecret whose target it is (the keys only; the values come from the store).
 */
export function secretContents(objects: readonly KubernetesObject[], name: string): Map<string, string | undefined> | undefined {
  const secret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === name) as (KubernetesObject & { data?: Record<string, string> }) | undefined;
  if (secret) return new Map(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8')]));
  const external = objects.find((object) => object.kind === 'ExternalSecret' && (object as { spec?: { target?: { name?: string } } }).spec?.target?.name === name) as
    | (KubernetesObject & { spec: { data: { secretKey: string }[] } })
    | undefined;
  if (external) return new Map(external.spec.data.map((entry) => [entry.secretKey, undefined]));
  return undefined;
}
