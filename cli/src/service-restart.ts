import type { ServiceProbe } from './probe.js';

/** One process of the service being restarted, and where its /ready answers. */
export interface RestartTarget {
  readonly name: string;
  readonly url: string;
}

/** What a restart does to the supervised processes (the supervisor and the probe, or stand-ins in tests). */
export interface RestartSteps {
  stop(name: string): Promise<unknown>;
  start(name: string): Promise<unknown>;
  waitUntilReady(targets: readonly RestartTarget[], timeoutMs: number): Promise<ServiceProbe[]>;
  pause(ms: number): Promise<void>;
}

export interface RestartOutcome {
  /** Every instance restarted and ready. */
  readonly ready: boolean;
  /** The instances restarted, in order (for a rolling restart that failed: up to the failed one). */
  readonly restarted: readonly string[];
  /** The instance that did not become ready in time, and why; the rest were left as they were. */
  readonly failed?: { readonly name: string; readonly reason: string };
}

/**
 * How long a rolling restart waits after an instance is ready before stopping the next: the
 * gateway probes each instance's /ready about every 2 s, so after this it sends to the restarted
 * instance again — stopping the next one sooner could leave it none to send to.
 */
export const rollingSettleMs = 3_000;

/**
 * `lift restart <service> --rolling`: one instance after the other — stop it (SIGTERM: it answers
 * /ready with 503 and drains), start it, wait until its /ready answers 200, let the gateway see
 * it, then the next. An instance not ready in time ends the restart there: the instances not yet
 * restarted keep running as they were.
 */
export async function rollingRestart(targets: readonly RestartTarget[], steps: RestartSteps, readyTimeoutMs: number, settleMs = rollingSettleMs): Promise<RestartOutcome> {
  const restarted: string[] = [];
  for (const [position, target] of targets.entries()) {
    if (position > 0) await steps.pause(settleMs);
    await steps.stop(target.name);
    await steps.start(target.name);
    restarted.push(target.name);
    const [probe] = await steps.waitUntilReady([target], readyTimeoutMs);
    if (probe?.ready !== true) return { ready: false, restarted, failed: { name: target.name, reason: probe?.reason ?? 'no answer' } };
  }
  return { ready: true, restarted };
}

/** `lift restart <service>`: every instance stopped, then every instance started, then ready. */
export async function fullRestart(targets: readonly RestartTarget[], steps: RestartSteps, readyTimeoutMs: number): Promise<RestartOutcome> {
  await Promise.all(targets.map((target) => steps.stop(target.name)));
  await Promise.all(targets.map((target) => steps.start(target.name)));
  const probes = await steps.waitUntilReady(targets, readyTimeoutMs);
  const notReady = probes.find((probe) => !probe.ready);
  const restarted = targets.map((target) => target.name);
  return notReady ? { ready: false, restarted, failed: { name: notReady.name, reason: notReady.reason ?? 'no answer' } } : { ready: true, restarted };
}
