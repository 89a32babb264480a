import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';

/** While a check keeps failing the same way, its reason is logged again at most this often. */
const repeatAfterMs = 60_000;

export interface ReadinessFailureLog {
  /** The outcome of one run of a check: `error` is why it failed, undefined when it passed. */
  record(name: string, error: string | undefined): void;
}

/**
 * Where a failing readiness check's reason goes instead of the public /ready answer. Probes call
 * /ready every few seconds, so a failure is logged when it starts or its reason changes, then at
 * most once a minute while it lasts; the recovery once.
 */
export function readinessFailureLog(log: FastifyBaseLogger, clock: Clock): ReadinessFailureLog {
  const failing = new Map<string, { reason: string; loggedAt: number }>();
  return {
    record(name, error) {
      const known = failing.get(name);
      if (error === undefined) {
        if (known === undefined) return;
        failing.delete(name);
        log.info({ check: name }, `readiness check ${name} passes again`);
        return;
      }
      const now = clock.now();
      if (known !== undefined && known.reason === error && now - known.loggedAt < repeatAfterMs) return;
      failing.set(name, { reason: error, loggedAt: now });
      log.warn({ check: name, reason: error }, `readiness check ${name} fails: ${error}`);
    },
  };
}
