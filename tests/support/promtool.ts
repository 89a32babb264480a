import { spawnSync } from 'node:child_process';

/** Whether `promtool` (Debian package `prometheus`) is on the PATH. */
export function promtoolAvailable(): boolean {
  return spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * prom-client's default metrics include the gauges `nodejs_active_{handles,requests,resources}_total`,
 * which promtool flags for a `_total` suffix on a non-counter. They are prom-client's names for the
 * totals (the per-type breakdowns are `nodejs_active_handles` …), not ours to rename.
 */
const inheritedFinding = /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;

/**
 * What `promtool check metrics` finds in a /metrics answer, minus prom-client's inherited gauges.
 * Exit 0 is clean and 3 means lint findings (listed); anything else — 1 is a text it could not
 * parse — is returned as a finding of its own.
 */
export function promtoolFindings(exposition: string): string[] {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  const lines = `${run.stdout}${run.stderr}`.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (run.status !== 0 && run.status !== 3) return [`promtool exited ${String(run.status)}`, ...lines];
  return lines.filter((line) => !inheritedFinding.test(line));
}
