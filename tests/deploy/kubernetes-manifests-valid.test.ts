import { describe, expect, it } from 'vitest';
import { skipUnless } from '../support/skip-rule.js';
import { hasKustomize5, overlayNames, renderOverlay, secretStoreObjects, validateObject, type KubernetesObject } from './kubernetes-manifests.js';

const skip = skipUnless(hasKustomize5(), 'the Kubernetes manifests', 'a kubectl with Kustomize 5 (the machine image\'s /usr/bin/kubectl)');

const describedAs = (object: KubernetesObject) => `${object.kind} ${object.metadata.name}`;

describe.skipIf(skip)('the Kubernetes manifests', () => {
  it('has a dev and a prod overlay', () => {
    expect(overlayNames()).toEqual(expect.arrayContaining(['dev', 'prod']));
  });

  describe.each(overlayNames())('k8s/overlays/%s', (overlay) => {
    it('renders with kubectl kustomize, every object in the lift namespace but the namespace itself', () => {
      const objects = renderOverlay(overlay);
      expect(objects.length).toBeGreaterThan(40);
      const outside = objects.filter((object) => object.kind !== 'Namespace' && object.metadata.namespace !== 'lift').map(describedAs);
      expect(outside).toEqual([]);
    });

    it('renders only kinds there is a schema for, each object valid against it', () => {
      const problems = renderOverlay(overlay).flatMap((object) => {
        const result = validateObject(object);
        if (result.unknownKind) return [`${describedAs(object)} (${object.apiVersion}): no schema`];
        return result.invalid === undefined ? [] : [`${describedAs(object)}: ${result.invalid}`];
      });
      expect(problems).toEqual([]);
    });

    it('has no field its schema does not know (a cluster would drop it silently or refuse the object)', () => {
      const unknown = renderOverlay(overlay).flatMap((object) => validateObject(object).unknownFields.map((field) => `${describedAs(object)}: ${field}`));
      expect(unknown).toEqual([]);
    });
  });

  it.each(secretStoreObjects().map(({ file, object }) => ({ file, object, name: describedAs(object) })))('k8s/secret-stores/$file: $name is valid, with no unknown field', ({ object }) => {
    const result = validateObject(object);
    expect(result.unknownKind).toBeUndefined();
    expect(result.invalid).toBeUndefined();
    expect(result.unknownFields).toEqual([]);
  });
});

// The check must be able to fail: a misspelt field, a wrong type and an unknown kind are found.
describe.skipIf(skip)('the manifest check itself', () => {
  const deployment = () => structuredClone(renderOverlay('prod').find((object) => object.kind === 'Deployment')) as KubernetesObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };

  it('reports a misspelt field at its path, in a core object', () => {
    const object = deployment();
    const container = object.spec.template.spec.containers[0] as Record<string, unknown>;
    container.readinessprobe = container.readinessProbe;
    expect(validateObject(object).unknownFields).toEqual(['/spec/template/spec/containers/0/readinessprobe']);
  });

  it('reports an unknown field of a custom resource and a nested one', () => {
    const rollout = structuredClone(renderOverlay('prod').find((object) => object.kind === 'Rollout')) as KubernetesObject & { spec: Record<string, unknown> & { strategy: Record<string, Record<string, unknown>> } };
    rollout.spec.replica = 3;
    const strategy = Object.values(rollout.spec.strategy)[0] as Record<string, unknown>;
    strategy.autoPromotion = true;
    expect([...validateObject(rollout).unknownFields].sort()).toEqual(['/spec/replica', `/spec/strategy/${Object.keys(rollout.spec.strategy)[0]}/autoPromotion`].sort());
  });

  it('reports a wrong type and an unknown kind', () => {
    const object = deployment();
    (object.spec.template.spec.containers[0] as Record<string, unknown>).name = 42;
    expect(validateObject(object).invalid).toMatch(/name must be string/);
    expect(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }).unknownKind).toBe(true);
  });
});
