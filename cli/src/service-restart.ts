import type { ServiceProbe } from './probe.js';

/** One process of the service being restarted, and where its /ready answers. */
export interface RestartTarget {
  readonly name: string;
  readonly url: string;
}

/** What a restart does to the supervised processes (the supervisor, the probe and the gateway, or stand-ins in tests). */
export interface RestartSteps {
  stop(name: string): Promise<unknown>;
  start(name: string): Promise<unknown>;
  waitUntilReady(targets: readonly RestartTarget[], timeoutMs: number): Promise<ServiceProbe[]>;
  /** Until the gateway sends new requests to each of these; the first it still does not, after the time. */
  waitUntilServed(targets: readonly RestartTarget[], timeoutMs: number): Promise<string | undefined>;
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
 * `lift restart <service> --rolling`: one instance after the other — stop it (SIGTERM: it answers
 * /ready with 503 and drains), start it, wait until its /ready answers 200, then the next. Before
 * an instance is stopped, the gateway must be sending to every other one (it asks the gateway, not
 * the instances: an instance the gateway has ejected or not yet probed back gets no requests, and
 * stopping the next one then would leave none). An instance not ready, or not taken back by the
 * gateway, in time ends the restart there: the instances not yet restarted keep running as they were.
 */
export async function rollingRestart(targets: readonly RestartTarget[], steps: RestartSteps, readyTimeoutMs: number): Promise<RestartOutcome> {
  const restarted: string[] = [];
  for (const target of targets) {
    const unserved = await steps.waitUntilServed(targets.filter((other) => other !== target), readyTimeoutMs);
    if (unserved !== undefined) return { ready: false, restarted, failed: { name: unserved, reason: 'the gateway does not send it requests' } };
    await steps.stop(target.name);
    await steps.start(target.name);
    restarted.push(target.name);
    const [probe] = await steps.waitUntilReady([target], readyTimeoutMs);
    if (probe?.ready !== true) return { ready: false, restarted, failed: { name: target.name, reason: probe?.reason ?? 'no answer' } };
  }
  // Done when the gateway balances over all of them again.
  const unserved = await steps.waitUntilServed(targets, readyTimeoutMs);
  if (unserved !== undefined) return { ready: false, restarted, failed: { name: unserved, reason: 'the gateway does not send it requests' } };
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
