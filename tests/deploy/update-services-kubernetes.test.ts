import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { scratchDirectories } from '../support/scratch-directories.js';
import { skipUnless } from '../support/skip-rule.js';
import { kubernetesWorkspace, realKubectlMissing, renderedImages } from './kubectl-stub.js';

const scratch = scratchDirectories();
const skip = skipUnless(!realKubectlMissing, 'update-services.sh --target kubernetes', 'kubectl (it renders the overlays with its Kustomize)');
const others = ['billing', 'gateway', 'memory', 'observability', 'registry'];

function workspace() {
  const k8s = kubernetesWorkspace(scratch('lift-update-k8s-'));
  const update = (args: string[], env: Record<string, string> = {}) => k8s.run('update-services.sh', ['--target', 'kubernetes', '--overlay', k8s.overlay('prod'), ...args], env);
  const kustomization = () => readFileSync(k8s.kustomization('prod'), 'utf8');
  return { k8s, update, kustomization };
}

describe.skipIf(skip)('update-services.sh --target kubernetes', () => {
  it('moves one service to a new tag in the overlay, applies it and waits for that rollout only', () => {
    const { k8s, update, kustomization } = workspace();
    const before = kustomization();
    const result = update(['auth', '1.2.0']);
    expect(result.code, result.stderr).toBe(0);
    expect(kustomization()).toBe(before.replace('  - name: lift/auth\n    newTag: "0.1.0"\n', '  - name: lift/auth\n    newTag: "1.2.0" # previous: 0.1.0\n'));
    expect(renderedImages(k8s.overlay('prod'))).toEqual(['lift/auth:1.2.0', ...others.map((name) => `lift/${name}:0.1.0`)]);
    expect(result.calls.filter((call) => /^(apply|argo rollouts status)/.test(call))).toEqual([`apply -k ${k8s.overlay('prod')}`, 'argo rollouts status auth -n lift --timeout 600s']);
    expect(result.stdout).toContain('--rollback auth\' goes back to 0.1.0');
    // The repository's own overlay is not what changed.
    expect(readFileSync(join(repositoryRoot, 'k8s/overlays/prod/kustomization.yaml'), 'utf8')).toBe(before);
  });

  it('goes back with --rollback (tag and previous swapped, applied), and forward again with another', () => {
    const { k8s, update, kustomization } = workspace();
    expect(update(['memory', '2.0.0']).code).toBe(0);
    const back = update(['--rollback', 'memory']);
    expect(back.code, back.stderr).toBe(0);
    expect(kustomization()).toContain('  - name: lift/memory\n    newTag: "0.1.0" # previous: 2.0.0\n');
    expect(renderedImages(k8s.overlay('prod'))).toContain('lift/memory:0.1.0');
    expect(back.calls.filter((call) => /^(apply|argo rollouts)/.test(call))).toEqual(['argo rollouts version', `apply -k ${k8s.overlay('prod')}`, 'argo rollouts status memory -n lift --timeout 600s']);
    expect(update(['--rollback', 'memory']).code).toBe(0);
    expect(kustomization()).toContain('  - name: lift/memory\n    newTag: "2.0.0" # previous: 0.1.0\n');
  });

  it('refuses a rollback with no earlier tag, changing nothing', () => {
    const { update, kustomization } = workspace();
    const before = kustomization();
    const result = update(['--rollback', 'registry']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("has no '# previous: <tag>' beside its newTag");
    expect(kustomization()).toBe(before);
    expect(result.calls.filter((call) => !call.startsWith('kustomize'))).toEqual([]);
  });

  it('waits for the gateway until its new version waits to be promoted, then promotes it with --promote', () => {
    const { update } = workspace();
    const paused = update(['gateway', '1.3.0'], { STUB_STATUS_gateway: 'Paused - BlueGreenPause' });
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toContain('--promote gateway');
    const promoted = update(['--promote', 'gateway']);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.calls.filter((call) => call.startsWith('argo rollouts') && call !== 'argo rollouts version')).toEqual(['argo rollouts promote gateway -n lift', 'argo rollouts status gateway -n lift --timeout 600s']);
    expect(promoted.stdout).toContain('gateway is Healthy');
  });

  it('--abort aborts the rollout and leaves the overlay as it is', () => {
    const { update, kustomization } = workspace();
    expect(update(['billing', '1.1.0']).code).toBe(0);
    const before = kustomization();
    const result = update(['--abort', 'billing']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.calls).toContain('argo rollouts abort billing -n lift');
    expect(result.calls.filter((call) => call.startsWith('apply'))).toEqual([]);
    expect(result.stdout).toContain('--rollback billing');
    expect(kustomization()).toBe(before);
  });

  it('puts the overlay back when the apply fails', () => {
    const { update, kustomization } = workspace();
    const before = kustomization();
    const result = update(['observability', '1.4.0'], { STUB_APPLY_FAILS: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is back as it was (lift/observability at 0.1.0)');
    expect(kustomization()).toBe(before);
  });

  it('--edit-only edits and checks the overlay, and touches no cluster', () => {
    const { k8s, update } = workspace();
    const result = update(['registry', '0.2.0', '--edit-only'], { STUB_NO_ARGO: '1' });
    expect(result.code, result.stderr).toBe(0);
    expect(renderedImages(k8s.overlay('prod'))).toContain('lift/registry:0.2.0');
    expect(result.calls).toEqual([`kustomize ${k8s.overlay('prod')}`]);
  });

  it('refuses --promote where the service is a plain Deployment (the dev overlay)', () => {
    const { k8s } = workspace();
    const result = k8s.run('update-services.sh', ['--target', 'kubernetes', '--overlay', k8s.overlay('dev'), '--promote', 'auth']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('runs auth as a plain Deployment (no Argo Rollouts): there is nothing to promote');
  });

  it.each([
    [['payments', '1.0.0'], /unknown service 'payments'/],
    [['auth', 'v1;rm'], /'v1;rm' is not a valid image tag/],
    [['auth', '-1'], /unknown option '-1'/],
    [['auth', '1.0.0', '--env-only'], /--env-only is for --target compose/],
    [['--rollback', 'auth', '--promote', 'auth'], /give one of --rollback, --promote and --abort/],
    [['--abort'], /--abort takes one service/],
  ])('refuses %j with a usage error, changing nothing and calling no kubectl', (args, message) => {
    const { update, kustomization } = workspace();
    const before = kustomization();
    const result = update(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^update-services\.sh: /);
    expect(result.stderr).toMatch(message);
    expect(result.calls).toEqual([]);
    expect(kustomization()).toBe(before);
  });

  it('keeps the Kubernetes options out of compose', () => {
    const { k8s } = workspace();
    const result = k8s.run('update-services.sh', ['--promote', 'gateway']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--promote is for --target kubernetes');
  });
});
