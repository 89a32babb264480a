import type { Clock, HttpClient } from '@lift/kit';

export interface ServiceReadiness {
  readonly status: 'ready' | 'unready' | 'unreachable';
  readonly latencyMs: number;
  /**
   * The service's own checks by name, each `ok` or `failing`. The service's failure messages are
   * not passed on: they can carry internal addresses.
   */
  readonly checks?: Record<string, 'ok' | 'failing'>;
}

export interface ReadinessProbeOptions {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly timeoutMs: number;
}

/**
 * Asks one service's GET /ready. 200 is ready; any other answer is unready (a 503 from the kit
 * names its failing checks); no answer within the timeout — connecting included — is unreachable.
 */
export async function probeReadiness(origin: string, options: ReadinessProbeOptions): Promise<ServiceReadiness> {
  const started = options.clock.now();
  const elapsed = () => Math.max(0, Math.round(options.clock.now() - started));
  let status: number;
  let body: unknown;
  try {
    const answer = await options.http.call(`${origin}/ready`, { timeoutMs: options.timeoutMs, signal: AbortSignal.timeout(options.timeoutMs) });
    status = answer.status;
    body = await answer.json<unknown>().catch(() => undefined);
  } catch {
    return { status: 'unreachable', latencyMs: elapsed() };
  }
  const checks = checksOf(body);
  return { status: status === 200 ? 'ready' : 'unready', latencyMs: elapsed(), ...(checks ? { checks } : {}) };
}

/** `checks` as the kit's /ready reports them, in its 200 body and in its 503 problem alike. */
function checksOf(body: unknown): Record<string, 'ok' | 'failing'> | undefined {
  if (typeof body !== 'object' || body === null || !('checks' in body)) return undefined;
  const { checks } = body;
  if (typeof checks !== 'object' || checks === null) return undefined;
  return Object.fromEntries(Object.entries(checks).map(([name, result]) => [name, result === 'ok' ? 'ok' : 'failing']));
}
