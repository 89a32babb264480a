import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirectories } from '../support/scratch-directories.js';
import { skipUnless } from '../support/skip-rule.js';
import { kubernetesWorkspace, realKubectlMissing } from './kubectl-stub.js';

const scratch = scratchDirectories();
const skip = skipUnless(!realKubectlMissing, 'deploy-prod.sh --target kubernetes', 'kubectl (it renders the overlays with its Kustomize)');
const canaries = ['auth', 'billing', 'memory', 'observability', 'registry'];

describe.skipIf(skip)('deploy-prod.sh --target kubernetes', () => {
  it('renders the prod overlay, applies it, waits for each canary, then the blue/green gateway, and names the host', () => {
    const k8s = kubernetesWorkspace(scratch('lift-deploy-k8s-'));
    const overlay = k8s.overlay('prod');
    const result = k8s.run('deploy-prod.sh', ['--target', 'kubernetes', '--overlay', overlay]);
    expect(result.code, result.stderr).toBe(0);
    const statuses = result.calls.filter((call) => call.startsWith('argo rollouts status'));
    expect(result.calls.slice(0, 3)).toEqual([`kustomize ${overlay}`, 'argo rollouts version', `apply -k ${overlay}`]);
    expect(statuses).toEqual([...canaries.map((name) => `argo rollouts status ${name} -n lift --timeout 600s`), 'argo rollouts status gateway -n lift --watch=false']);
    // Before each wait: has Argo seen the Deployment's new generation?
    expect(result.calls).toContain('get deployment gateway -n lift -o jsonpath={.metadata.generation}');
    // The Deployments run no pods of their own (the Rollouts do): nothing waits on them.
    expect(result.calls.filter((call) => call.startsWith('rollout status'))).toEqual([]);
    expect(result.stdout).toContain('the platform answers at https://lift.example.com');
  });

  it('takes a paused gateway as waiting for promotion, and says how to check the preview and promote it', () => {
    const k8s = kubernetesWorkspace(scratch('lift-deploy-k8s-'));
    const result = k8s.run('deploy-prod.sh', ['--target', 'kubernetes', '--overlay', k8s.overlay('prod')], { STUB_STATUS_gateway: 'Paused - BlueGreenPause' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('waits for you to promote it');
    expect(result.stdout).toContain('kubectl port-forward -n lift service/gateway-preview 8000');
    expect(result.stdout).toContain('scripts/update-services.sh --target kubernetes --promote gateway');
    expect(result.calls).not.toContain('argo rollouts promote gateway -n lift');
  });

  it('fails naming a canary whose analysis failed', () => {
    const k8s = kubernetesWorkspace(scratch('lift-deploy-k8s-'));
    const result = k8s.run('deploy-prod.sh', ['--target', 'kubernetes', '--overlay', k8s.overlay('prod'), '--timeout', '90'], { STUB_STATUS_billing: 'Degraded - RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed' });
    expect(result.code).toBe(1);
    expect(result.calls).toContain('argo rollouts status billing -n lift --timeout 90s');
    expect(result.stderr).toContain('rollout billing did not become Healthy');
    expect(result.calls).not.toContain('argo rollouts status memory -n lift --timeout 90s');
  });

  it('fails on a Degraded gateway instead of waiting', () => {
    const k8s = kubernetesWorkspace(scratch('lift-deploy-k8s-'));
    const result = k8s.run('deploy-prod.sh', ['--target', 'kubernetes', '--overlay', k8s.overlay('prod')], { STUB_STATUS_gateway: 'Degraded - RolloutAborted: Metric "success-rate" assessed Failed' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rollout gateway is Degraded');
    expect(result.stderr).toContain('success-rate');
  });

  it('waits for every plain Deployment and the StatefulSet of the dev overlay, with no Argo plugin needed', () => {
    const k8s = kubernetesWorkspace(scratch('lift-deploy-k8s-'));
    const overlay = k8s.overlay('dev');
    const result = k8s.run('deploy-prod.sh', ['--target', 'kubernetes', '--overlay', overlay, '--context', 'kind-lift', '--timeout', '120'], { STUB_NO_ARGO: '1' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.calls[0]).toBe(`kustomize ${overlay}`);
    expect(result.calls[1]).toBe(`apply -k ${overlay} --context kind-lift`);
    expect(result.calls.slice(2).sort()).toEqual([...canaries, 'gateway', 'redis'].map((name) => `rollout status deployment/${name} -n lift --timeout 120s --context kind-lift`).concat('rollout status statefulset/postgres -n lift --timeout 120s --context kind-lift').sort());
    expect(result.stdout).toContain('https://lift.localtest.me');
  });

  it('applies nothing when the overlay does not render, or the Argo plugin is missing', () => {
    const k8s = kubernetesWorkspace(scratch('lift-deploy-k8s-'));
    writeFileSync(join(k8s.overlay('dev'), 'kustomization.yaml'), 'resources:\n  - no-such-file.yaml\n');
    const broken = k8s.run('deploy-prod.sh', ['--target', 'kubernetes', '--overlay', k8s.overlay('dev')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^deploy-prod\.sh: .*overlays\/dev does not render \(kubectl kustomize\): /);
    expect(broken.calls.filter((call) => call.startsWith('apply'))).toEqual([]);

    const noPlugin = k8s.run('deploy-prod.sh', ['--target', 'kubernetes', '--overlay', k8s.overlay('prod')], { STUB_NO_ARGO: '1' });
    expect(noPlugin.code).toBe(1);
    expect(noPlugin.stderr).toContain("'kubectl argo rollouts' (the Argo Rollouts kubectl plugin) is not installed");
    expect(noPlugin.calls.filter((call) => call.startsWith('apply'))).toEqual([]);
  });
});
