import { describe, expect, it } from 'vitest';
import { skipUnless } from '../support/skip-rule.js';
import { hasKustomize5, objectsOfKind, overlayNames, renderOverlay, theObject, type KubernetesObject } from './kubernetes-manifests.js';
import { containerEnvironment, serviceContainer, serviceDeployment, type Workload } from './kubernetes-pods.js';
import { seedServices } from './seed-services.js';

const skip = skipUnless(hasKustomize5(), 'the Kubernetes rollouts', 'a kubectl with Kustomize 5 (the machine image\'s /usr/bin/kubectl)');

interface AnalysisArgument {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly podTemplateHashValue?: string };
}

interface AnalysisReference {
  readonly templates: readonly { readonly templateName: string }[];
  readonly args?: readonly AnalysisArgument[];
  readonly startingStep?: number;
}

interface Rollout extends KubernetesObject {
  readonly spec: {
    readonly replicas?: number;
    readonly selector: { readonly matchLabels: Record<string, string> };
    readonly workloadRef?: { readonly apiVersion: string; readonly kind: string; readonly name: string };
    readonly strategy: {
      readonly blueGreen?: { readonly activeService: string; readonly previewService?: string; readonly autoPromotionEnabled?: boolean; readonly scaleDownDelaySeconds?: number; readonly prePromotionAnalysis?: AnalysisReference; readonly postPromotionAnalysis?: AnalysisReference };
      readonly canary?: { readonly steps: readonly { readonly setWeight?: number; readonly pause?: { readonly duration?: string } }[]; readonly analysis?: AnalysisReference; readonly maxUnavailable?: number | string };
    };
  };
}

interface AnalysisTemplate extends KubernetesObject {
  readonly spec: { readonly args: readonly { readonly name: string; readonly value?: string }[]; readonly metrics: readonly { readonly name: string; readonly successCondition: string; readonly provider: { readonly prometheus?: { readonly address: string; readonly query: string } } }[] };
}

interface Ingress extends KubernetesObject {
  readonly spec: { readonly tls?: readonly { readonly hosts: readonly string[]; readonly secretName: string }[]; readonly rules: readonly { readonly host: string; readonly http: { readonly paths: readonly { readonly backend: { readonly service: { readonly name: string; readonly port: { readonly name?: string; readonly number?: number } } } }[] } }[] };
}

interface KubernetesService extends KubernetesObject {
  readonly spec: { readonly selector: Record<string, string>; readonly ports: readonly { readonly port: number }[] };
}

interface Autoscaler extends KubernetesObject {
  readonly spec: { readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string }; readonly minReplicas: number; readonly maxReplicas: number };
}

const others = seedServices.filter((service) => service.name !== 'gateway');

/** What each Rollout's analyses are given: the template's name and every argument it needs. */
function expectAnalysis(reference: AnalysisReference | undefined, service: string, template: AnalysisTemplate): void {
  expect(reference?.templates.map((entry) => entry.templateName)).toEqual([template.metadata.name]);
  const given = new Map((reference?.args ?? []).map((argument) => [argument.name, argument]));
  expect(given.get('service-name')?.value).toBe(service);
  // The new ReplicaSet's pods only: judged on what the new version answered.
  expect(given.get('pod-template-hash')?.valueFrom?.podTemplateHashValue).toBe('Latest');
  const needed = template.spec.args.filter((argument) => argument.value === undefined).map((argument) => argument.name);
  expect(needed.filter((name) => !given.has(name))).toEqual([]);
}

describe.skipIf(skip)('k8s/overlays/prod: Argo Rollouts', () => {
  const objects = skip ? [] : renderOverlay('prod');
  const rollout = (name: string) => theObject<Rollout>(objects, 'Rollout', name);
  const template = () => theObject<AnalysisTemplate>(objects, 'AnalysisTemplate', 'success-rate');

  it.each(seedServices)('$name: a Rollout runs the pods of its Deployment (workloadRef), which runs none itself', ({ name }) => {
    const deployment = serviceDeployment(objects, name);
    expect(rollout(name).spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(deployment.spec.replicas).toBe(0);
    expect(rollout(name).spec.selector).toEqual((deployment.spec as { selector?: unknown }).selector);
    // The autoscaler owns the replica count; a count in the Rollout would reset it at every apply.
    expect(rollout(name).spec.replicas).toBeUndefined();
  });

  it('rolls the gateway out blue/green: the Ingress\'s Service is the active one, a preview Service for the new pods, promoted by hand after analysis', () => {
    const blueGreen = rollout('gateway').spec.strategy.blueGreen;
    const ingress = theObject<Ingress>(objects, 'Ingress', 'gateway');
    const backends = ingress.spec.rules.flatMap((rule) => rule.http.paths.map((path) => path.backend.service.name));
    expect(new Set(backends)).toEqual(new Set([blueGreen?.activeService]));
    const preview = theObject<KubernetesService>(objects, 'Service', blueGreen?.previewService ?? '');
    expect(preview.spec.selector).toEqual(theObject<KubernetesService>(objects, 'Service', 'gateway').spec.selector);
    expect(blueGreen?.autoPromotionEnabled).toBe(false);
    expect(blueGreen?.scaleDownDelaySeconds).toBeGreaterThanOrEqual(30);
    expectAnalysis(blueGreen?.prePromotionAnalysis, 'gateway', template());
    expectAnalysis(blueGreen?.postPromotionAnalysis, 'gateway', template());
  });

  it.each(others)('$name: canary 10 → 20 → 50 → 100 %, pausing between steps, analysed from the second step on, never below its replicas', ({ name }) => {
    const canary = rollout(name).spec.strategy.canary;
    expect(rollout(name).spec.strategy.blueGreen).toBeUndefined();
    expect(canary?.steps.filter((step) => step.setWeight !== undefined).map((step) => step.setWeight)).toEqual([10, 20, 50, 100]);
    expect(canary?.steps.map((step) => (step.setWeight !== undefined ? 'weight' : step.pause?.duration ? 'pause' : 'other'))).toEqual(['weight', 'pause', 'weight', 'pause', 'weight', 'pause', 'weight']);
    expect(canary?.maxUnavailable).toBe(0);
    expect(canary?.analysis?.startingStep).toBe(2);
    expectAnalysis(canary?.analysis, name, template());
  });

  it('judges by Prometheus, selecting the new pods by the label the PodMonitor brings onto the series, preview pods included', () => {
    const [metric] = template().spec.metrics;
    const query = metric?.provider.prometheus?.query ?? '';
    expect(query).toContain('service="{{args.service-name}}"');
    const monitor = theObject<KubernetesObject & { spec: { podTargetLabels: string[]; podMetricsEndpoints: { port: string; path: string; honorLabels?: boolean }[]; selector: { matchLabels: Record<string, string> } } }>(objects, 'PodMonitor', 'lift-services');
    expect(monitor.spec.podTargetLabels).toContain('rollouts-pod-template-hash');
    // Prometheus turns the label's name into rollouts_pod_template_hash.
    expect(query).toContain('rollouts_pod_template_hash="{{args.pod-template-hash}}"');
    // The services' own service label must win over the target's (same value, but it would be renamed exported_service).
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s', honorLabels: true }]);
    // By pod, not by Service: a blue/green preview's pods are scraped before any Service sends them traffic.
    const scraped = seedServices.filter(({ name }) => Object.entries(monitor.spec.selector.matchLabels).every(([key, value]) => serviceDeployment(objects, name).spec.template?.metadata.labels?.[key] === value));
    expect(scraped.map((service) => service.name)).toEqual(seedServices.map((service) => service.name));
    expect(metric?.successCondition).toMatch(/^result\[0\] >= 0\.\d+$/);
  });

  it.each(seedServices)('$name: scaled by an autoscaler on its Rollout, guarded by a disruption budget', ({ name }) => {
    const autoscaler = theObject<Autoscaler>(objects, 'HorizontalPodAutoscaler', name);
    expect(autoscaler.spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name });
    expect(autoscaler.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const budget = theObject<KubernetesObject & { spec: { maxUnavailable?: number; selector: { matchLabels: Record<string, string> } } }>(objects, 'PodDisruptionBudget', name);
    expect(budget.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name } } });
  });

  it('pins every image to a release tag', () => {
    const images = objectsOfKind<Workload>(objects, 'Deployment').flatMap((deployment) => [...(deployment.spec.template?.spec.initContainers ?? []), ...(deployment.spec.template?.spec.containers ?? [])].map((container) => container.image));
    expect(images.filter((image) => !/:[0-9]+\.[0-9]+\.[0-9]+$/.test(image))).toEqual([]);
  });

  it('takes every secret from the store through External Secrets, and has no Secret of its own', () => {
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    for (const external of objectsOfKind<KubernetesObject & { spec: { secretStoreRef: { kind: string; name: string } } }>(objects, 'ExternalSecret')) {
      expect(external.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'lift-secrets' });
    }
  });
});

describe.skipIf(skip).each(overlayNames())('k8s/overlays/%s: the way in', (overlay) => {
  const objects = skip ? [] : renderOverlay(overlay);

  it('has one Ingress, to the gateway, with TLS for the host every setting names', () => {
    const ingresses = objectsOfKind<Ingress>(objects, 'Ingress');
    expect(ingresses.map((ingress) => ingress.metadata.name)).toEqual(['gateway']);
    const [ingress] = ingresses as [Ingress];
    const backends = ingress.spec.rules.flatMap((rule) => rule.http.paths.map((path) => path.backend.service));
    expect(new Set(backends.map((backend) => backend.name))).toEqual(new Set(['gateway']));
    const host = ingress.spec.rules[0]?.host;
    expect(ingress.spec.rules.map((rule) => rule.host)).toEqual([host]);
    expect(ingress.spec.tls?.flatMap((entry) => entry.hosts)).toEqual([host]);
    const environment = (name: string) => containerEnvironment(objects, serviceContainer(serviceDeployment(objects, name), name));
    expect(environment('gateway').ALLOWED_HOSTS).toBe(host);
    for (const service of seedServices) expect(`${service.name}: ${environment(service.name).PUBLIC_URL}`).toBe(`${service.name}: https://${host}`);
    expect(environment('gateway').CORS_ORIGINS).toBe(`https://${host}`);
  });

  it('exposes no other Service outside the cluster: cluster addresses only, no external IPs, node ports or load balancers', () => {
    const exposed = objectsOfKind<KubernetesObject & { spec: Record<string, unknown> & { type?: string; ports?: Record<string, unknown>[] } }>(objects, 'Service').filter(
      (service) =>
        (service.spec.type !== undefined && service.spec.type !== 'ClusterIP') ||
        Object.keys(service.spec).some((field) => field === 'externalIPs' || field === 'externalName' || field.startsWith('loadBalancer')) ||
        (service.spec.ports ?? []).some((port) => port.nodePort !== undefined),
    );
    expect(exposed.map((service) => service.metadata.name)).toEqual([]);
  });

  it('names the Ingress controller that serves it (no default IngressClass is assumed)', () => {
    expect(objectsOfKind<Ingress & { spec: { ingressClassName?: string } }>(objects, 'Ingress').map((ingress) => ingress.spec.ingressClassName)).toEqual(['nginx']);
  });
});
