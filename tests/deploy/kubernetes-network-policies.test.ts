import { describe, expect, it } from 'vitest';
import { skipUnless } from '../support/skip-rule.js';
import { hasKustomize5, objectsOfKind, overlayNames, renderOverlay, type KubernetesObject } from './kubernetes-manifests.js';
import { containerEnvironment, portNumber, serviceContainer, serviceDeployment } from './kubernetes-pods.js';
import { seedServices, serviceNamedBy } from './seed-services.js';

const skip = skipUnless(hasKustomize5(), 'the Kubernetes network policies', 'a kubectl with Kustomize 5 (the machine image\'s /usr/bin/kubectl)');

interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

interface Rule {
  readonly from?: readonly Peer[];
  readonly to?: readonly Peer[];
  readonly ports?: readonly { readonly protocol?: string; readonly port?: number | string }[];
}

interface NetworkPolicy extends KubernetesObject {
  readonly spec: { readonly podSelector: LabelSelector; readonly policyTypes: readonly string[]; readonly ingress?: readonly Rule[]; readonly egress?: readonly Rule[] };
}

function matches(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every((expression) => {
    const present = expression.key in labels;
    const value = labels[expression.key] ?? '';
    switch (expression.operator) {
      case 'In':
        return present && (expression.values ?? []).includes(value);
      case 'NotIn':
        return !present || !(expression.values ?? []).includes(value);
      case 'Exists':
        return present;
      default:
        return !present;
    }
  });
  return byLabel && byExpression;
}

const nonPublicRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'];

/** `a→b` for every call the services' configuration makes: each *_SERVICE_URL and GATEWAY_URL it reads. */
function callsTheConfigurationMakes(): string[] {
  return seedServices.flatMap((caller) =>
    Object.keys(caller.schema.properties)
      .map((variable) => serviceNamedBy(variable))
      .filter((callee) => callee !== undefined)
      .map((callee) => `${caller.name}→${callee.name}`),
  );
}

describe.skipIf(skip).each(overlayNames())('k8s/overlays/%s: network policies', (overlay) => {
  const objects = skip ? [] : renderOverlay(overlay);
  const policies = objectsOfKind<NetworkPolicy>(objects, 'NetworkPolicy');
  // Each service's pods, as their Deployment labels them, and the port a rule names resolved on them.
  const pods = seedServices.map((service) => {
    const deployment = serviceDeployment(objects, service.name);
    return { service, labels: deployment.spec.template?.metadata.labels ?? {}, container: serviceContainer(deployment, service.name) };
  });
  const selectedBy = (selector: LabelSelector) => pods.filter((pod) => matches(selector, pod.labels));
  /** The ports a rule opens on that pod; a rule without ports opens every port ('any'). */
  const portsOf = (rule: Rule, pod: (typeof pods)[number]) => (rule.ports === undefined || rule.ports.length === 0 ? ['any' as const] : rule.ports.map((port) => (port.port === undefined ? ('any' as const) : portNumber(pod.container, port.port))));
  // A namespace selector reaches this namespace too when it matches its labels (and the name label Kubernetes adds).
  const namespace = objects.find((object) => object.kind === 'Namespace');
  const namespaceLabels = { ...namespace?.metadata.labels, 'kubernetes.io/metadata.name': namespace?.metadata.name ?? '' };
  /** Pods of this namespace a peer names: by podSelector here, or through a namespaceSelector that matches this namespace. */
  const podsNamedBy = (peer: Peer) => {
    if (peer.ipBlock) return [];
    if (peer.namespaceSelector && !matches(peer.namespaceSelector, namespaceLabels)) return [];
    return selectedBy(peer.podSelector ?? {});
  };

  /** `a→b:port` for every pair of services a direction of the policies lets through. */
  function allowed(direction: 'ingress' | 'egress'): string[] {
    const edges = new Set<string>();
    for (const policy of policies) {
      for (const self of selectedBy(policy.spec.podSelector)) {
        for (const rule of policy.spec[direction] ?? []) {
          const peers = direction === 'ingress' ? rule.from : rule.to;
          // A rule without peers: anyone on its ports; checked below never to name a service's port.
          for (const peer of peers ?? []) {
            for (const other of podsNamedBy(peer)) {
              const [caller, callee] = direction === 'ingress' ? [other, self] : [self, other];
              for (const port of portsOf(rule, callee)) edges.add(`${caller.service.name}→${callee.service.name}:${port}`);
            }
          }
        }
      }
    }
    return [...edges].sort();
  }

  it('denies everything not allowed, both ways, for every pod of the namespace', () => {
    expect(policies.some((policy) => Object.keys(policy.spec.podSelector).length === 0 && policy.spec.policyTypes.includes('Ingress') && policy.spec.policyTypes.includes('Egress') && !policy.spec.ingress && !policy.spec.egress)).toBe(true);
  });

  it('lets each service call exactly the services its configuration names, on their own ports, in both directions', () => {
    const expected = callsTheConfigurationMakes()
      .map((call) => `${call}:${seedServices.find((service) => service.name === call.split('→')[1])?.port}`)
      .sort();
    expect(expected.length).toBeGreaterThan(10);
    expect({ ingress: allowed('ingress'), egress: allowed('egress') }).toEqual({ ingress: expected, egress: expected });
  });

  it('opens no service port to "anyone": rules without peers, and outside address blocks, never reach a service', () => {
    const problems: string[] = [];
    const servicePorts = new Set(seedServices.map((service) => service.port));
    for (const policy of policies) {
      for (const rule of [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])]) {
        const peers = rule.from ?? rule.to;
        const ports = pods.flatMap((pod) => portsOf(rule, pod));
        if (!peers && (ports.length === 0 || ports.some((port) => port === 'any' || servicePorts.has(port as number)))) problems.push(`${policy.metadata.name}: a rule without peers on ${ports.join(',') || 'every port'}`);
        for (const peer of peers ?? []) {
          if (!peer.ipBlock) continue;
          const except = peer.ipBlock.except ?? [];
          if (rule.from) problems.push(`${policy.metadata.name}: admits the address block ${peer.ipBlock.cidr}`);
          // Private ranges hold the pods and nodes; link-local and shared space hold cloud metadata endpoints.
          else if (!nonPublicRanges.every((range) => except.includes(range))) problems.push(`${policy.metadata.name}: ${peer.ipBlock.cidr} reaches private, link-local or shared addresses (pods, metadata endpoints)`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  /** Every rule peer that names other namespaces, per service and direction: `service ← {labels} pods {labels} :ports`. */
  function namespacePeers(direction: 'ingress' | 'egress'): string[] {
    const found = new Set<string>();
    for (const policy of policies) {
      for (const pod of selectedBy(policy.spec.podSelector)) {
        for (const rule of policy.spec[direction] ?? []) {
          for (const peer of (direction === 'ingress' ? rule.from : rule.to) ?? []) {
            if (!peer.namespaceSelector) continue;
            const who = JSON.stringify(peer.namespaceSelector.matchLabels ?? {}) + (peer.podSelector ? ` pods ${JSON.stringify(peer.podSelector.matchLabels ?? {})}` : '');
            found.add(`${pod.service.name} ${direction === 'ingress' ? '←' : '→'} ${who} :${portsOf(rule, pod).join(',')}`);
          }
        }
      }
    }
    return [...found].sort();
  }

  it('takes outside traffic only at the gateway, from the Ingress controller\'s namespace, on its port; Prometheus and modules only where they must', () => {
    expect(namespacePeers('ingress')).toEqual(
      [
        'gateway ← {"lift.dev/ingress":"true"} :8000',
        'gateway ← {"lift.dev/modules":"true"} pods {"lift.dev/module":"true"} :8000',
        ...seedServices.map((service) => `${service.name} ← {"lift.dev/monitoring":"true"} :${service.port}`),
      ].sort(),
    );
  });

  it('reaches other namespaces only for DNS, modules and Prometheus', () => {
    const dns = seedServices.map((service) => `${service.name} → {"kubernetes.io/metadata.name":"kube-system"} pods {"k8s-app":"kube-dns"} :53,53`);
    const modules = ['gateway', 'registry'].map((name) => `${name} → {"lift.dev/modules":"true"} pods {"lift.dev/module":"true"} :any`);
    expect(namespacePeers('egress')).toEqual([...dns, ...modules, 'observability → {"lift.dev/monitoring":"true"} :9090'].sort());
  });

  it('believes X-Forwarded-For from the pod network alone, the same network in every service, so only the Ingress controller and the platform\'s pods (who alone may reach them) are proxies', () => {
    const trusted = new Set(pods.map((pod) => containerEnvironment(objects, pod.container).TRUSTED_PROXIES));
    expect(trusted.size).toBe(1);
    const [network] = [...trusted];
    expect(network).toMatch(/^(10\.\d+\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|192\.168\.\d+\.\d+)\/\d+$/);
  });
});
