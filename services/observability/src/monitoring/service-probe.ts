import type { HttpClient } from '@lift/kit';
import type { CheckState } from './monitoring-tables.js';

export interface ProbeResult {
  readonly target: string;
  readonly state: CheckState;
  /** How long /health took to answer, in ms; null when it did not. */
  readonly latencyMs: number | null;
  /** Why the service is not up, for people: `/ready answered 503`, `/health unreachable (ECONNREFUSED)`. */
  readonly detail: string | null;
}

// A probe reads little: /ready names its checks, nothing more.
const maxProbeBytes = 64 * 1024;

interface Answer {
  readonly ok: boolean;
  readonly ms: number;
  readonly problem: string | null;
}

async function ask(http: HttpClient, url: string, path: string, timeoutMs: number): Promise<Answer> {
  const started = performance.now();
  // A deadline over the whole exchange: undici's own timeouts are idle timers a trickle resets.
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const answer = await http.call(`${url}${path}`, { timeoutMs, maxResponseBytes: maxProbeBytes, signal: deadline });
    await answer.text().catch(() => undefined);
    const ms = Math.round(performance.now() - started);
    const ok = answer.status >= 200 && answer.status < 300;
    return { ok, ms, problem: ok ? null : `${path} answered ${answer.status}` };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).name;
    const timedOut = deadline.aborted || /TIMEOUT/i.test(code);
    return { ok: false, ms: Math.round(performance.now() - started), problem: timedOut ? `${path} did not answer within ${timeoutMs} ms` : `${path} unreachable (${code})` };
  }
}

/**
 * Probes a service's liveness and readiness at once: up when both answer 2xx within the timeout,
 * degraded when it lives but is not ready (a dependency is down), down when /health fails.
 */
export async function probeService(http: HttpClient, target: string, url: string, timeoutMs: number): Promise<ProbeResult> {
  const [health, ready] = await Promise.all([ask(http, url, '/health', timeoutMs), ask(http, url, '/ready', timeoutMs)]);
  if (!health.ok) return { target, state: 'down', latencyMs: null, detail: health.problem };
  return { target, state: ready.ok ? 'up' : 'degraded', latencyMs: health.ms, detail: ready.problem };
}
