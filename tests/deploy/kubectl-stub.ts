import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../support/service-process.js';

/** The kubectl that renders for real (it bundles Kustomize); the stub hands `kustomize` to it. */
export const realKubectl = '/usr/bin/kubectl';
export const realKubectlMissing = !existsSync(realKubectl) || spawnSync(realKubectl, ['version', '--client'], { stdio: 'ignore' }).status !== 0;

/**
 * A kubectl with no cluster behind it: it records each call (one line, arguments joined by spaces),
 * renders with the real kubectl, and answers the rest as a cluster would when nothing goes wrong.
 * A rollout's status is Healthy unless STUB_STATUS_<name> says otherwise ("Paused - BlueGreenPause",
 * "Degraded - …"); STUB_APPLY_FAILS fails `apply`, STUB_NO_ARGO makes the Argo plugin missing.
 */
const stubScript = `#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$KUBECTL_LOG"
case "$1" in
  kustomize) exec ${realKubectl} "$@" ;;
  apply) [[ -z "\${STUB_APPLY_FAILS:-}" ]] || { echo 'error: admission webhook denied the request' >&2; exit 1; }; echo 'applied'; exit 0 ;;
  get) echo 7; exit 0 ;;
  rollout) echo "$3 successfully rolled out"; exit 0 ;;
  argo)
    [[ -z "\${STUB_NO_ARGO:-}" ]] || { echo 'error: unknown command "argo" for "kubectl"' >&2; exit 1; }
    case "$3" in
      version) echo 'kubectl-argo-rollouts: v1.7.2'; exit 0 ;;
      promote | abort) echo "rollout '$4' $3 requested"; exit 0 ;;
      status)
        variable="STUB_STATUS_$4"; status="\${!variable:-Healthy}"
        if [[ " $* " == *" --watch=false "* ]]; then
          echo "$status"
          [[ "$status" != Degraded* ]] || { echo "Error: The rollout is in a degraded state with message: \${status#* - }" >&2; exit 1; }
          exit 0
        fi
        echo "$status"
        case "$status" in
          Healthy) exit 0 ;;
          Degraded*) echo "Error: The rollout is in a degraded state with message: \${status#* - }" >&2; exit 1 ;;
          *) echo 'Error: Rollout status watch exceeded timeout' >&2; exit 1 ;;
        esac ;;
    esac ;;
esac
echo "kubectl stub: no answer for: $*" >&2
exit 3
`;

export interface KubectlRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every kubectl call the script made, in order. */
  calls: string[];
}

/** A scratch directory with a copy of the repository's k8s/, and the stub kubectl first on PATH. */
export function kubernetesWorkspace(directory: string) {
  cpSync(join(repositoryRoot, 'k8s'), join(directory, 'k8s'), { recursive: true });
  const bin = join(directory, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'kubectl'), stubScript);
  chmodSync(join(bin, 'kubectl'), 0o755);
  const log = join(directory, 'kubectl.log');

  return {
    overlay: (name: string) => join(directory, 'k8s', 'overlays', name),
    kustomization: (name: string) => join(directory, 'k8s', 'overlays', name, 'kustomization.yaml'),
    run(script: string, args: string[], env: Record<string, string> = {}): KubectlRun {
      writeFileSync(log, '');
      const result = spawnSync('bash', [join(repositoryRoot, 'scripts', script), ...args], {
        cwd: directory,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, KUBECTL_LOG: log, ...env },
      });
      const calls = readFileSync(log, 'utf8').split('\n').filter((line) => line !== '');
      return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls };
    },
  };
}

/** The images a rendering of the overlay runs, as `kubectl kustomize` of the real kubectl gives them. */
export function renderedImages(overlay: string): string[] {
  const result = spawnSync(realKubectl, ['kustomize', overlay], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return [...new Set([...result.stdout.matchAll(/^\s+image: (\S+)$/gm)].map((match) => match[1] ?? ''))].sort();
}
