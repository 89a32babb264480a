/** What one service says about itself on /health and /ready. */
export interface ServiceProbe {
  readonly name: string;
  readonly url: string;
  readonly alive: boolean;
  readonly ready: boolean;
  /** Why it is not ready (the failing dependency), or why it does not answer. */
  readonly reason?: string;
  readonly version?: string;
  readonly uptimeSeconds?: number;
  /** Stopped on purpose with `lift stop` (what the supervisor says, not the probe). */
  readonly stopped?: boolean;
}

export async function probeService(name: string, url: string, timeoutMs = 1_500): Promise<ServiceProbe> {
  let health: { version?: string; uptimeSeconds?: number };
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { name, url, alive: false, ready: false, reason: `/health answered ${response.status}` };
    health = (await response.json()) as typeof health;
  } catch (error) {
    return { name, url, alive: false, ready: false, reason: describeFetchError(error) };
  }
  const known = { name, url, alive: true, ...(health.version ? { version: health.version } : {}), ...(health.uptimeSeconds !== undefined ? { uptimeSeconds: health.uptimeSeconds } : {}) };
  try {
    const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) return { ...known, ready: true };
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    return { ...known, ready: false, reason: problem.detail ?? `/ready answered ${response.status}` };
  } catch (error) {
    return { ...known, ready: false, reason: describeFetchError(error) };
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'not running (connection refused)';
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  return (error as Error).message;
}

/** Polls until every URL is ready or the deadline passes; returns the last probes. */
export async function waitUntilReady(services: readonly { name: string; url: string }[], timeoutMs: number, isCancelled: () => boolean = () => false): Promise<ServiceProbe[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probes = await Promise.all(services.map((service) => probeService(service.name, service.url, 1_000)));
    if (probes.every((probe) => probe.ready) || Date.now() >= deadline || isCancelled()) return probes;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
