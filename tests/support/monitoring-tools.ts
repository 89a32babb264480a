import { spawnSync } from 'node:child_process';

/** Whether a command answers `--version` (Debian: `prometheus` brings prometheus and promtool, `prometheus-alertmanager` amtool). */
export function commandAvailable(command: 'prometheus' | 'promtool' | 'amtool' | 'prometheus-alertmanager'): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs a command to its end, its output in one string (stdout then stderr). */
export function runCommand(command: string, args: readonly string[], cwd?: string): { status: number | null; output: string } {
  const run = spawnSync(command, args, { encoding: 'utf8', cwd });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
