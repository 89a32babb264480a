import { describe, expect, it } from 'vitest';
import type { ServiceProbe } from '../src/probe.js';
import { fullRestart, rollingRestart, type RestartSteps, type RestartTarget } from '../src/service-restart.js';

const targets: RestartTarget[] = [
  { name: 'auth', url: 'http://localhost:8001' },
  { name: 'auth#2', url: 'http://localhost:8101' },
  { name: 'auth#3', url: 'http://localhost:8201' },
];

/**
 * Records every step; `neverReady` names an instance whose /ready never answers 200, `neverServed`
 * one the gateway never takes back.
 */
function recordedSteps(neverReady?: string, neverServed?: string): { steps: RestartSteps; log: string[] } {
  const log: string[] = [];
  const probe = (target: RestartTarget): ServiceProbe =>
    target.name === neverReady ? { name: target.name, url: target.url, alive: false, ready: false, reason: 'not running (connection refused)' } : { name: target.name, url: target.url, alive: true, ready: true };
  const steps: RestartSteps = {
    stop: async (name) => void log.push(`stop ${name}`),
    start: async (name) => void log.push(`start ${name}`),
    waitUntilReady: async (some, timeoutMs) => {
      log.push(`wait ${some.map((target) => target.name).join('+')} ${timeoutMs}`);
      return some.map(probe);
    },
    waitUntilServed: async (some) => {
      log.push(`served ${some.map((target) => target.name).join('+')}`);
      return some.find((target) => target.name === neverServed)?.name;
    },
  };
  return { steps, log };
}

describe('restarting a service with several instances', () => {
  it('rolling: before stopping an instance, waits until the gateway sends to all the others; then stops, starts and waits for it', async () => {
    const { steps, log } = recordedSteps();
    expect(await rollingRestart(targets, steps, 5_000)).toEqual({ ready: true, restarted: ['auth', 'auth#2', 'auth#3'] });
    expect(log).toEqual([
      'served auth#2+auth#3', 'stop auth', 'start auth', 'wait auth 5000',
      'served auth+auth#3', 'stop auth#2', 'start auth#2', 'wait auth#2 5000',
      'served auth+auth#2', 'stop auth#3', 'start auth#3', 'wait auth#3 5000',
      'served auth+auth#2+auth#3',
    ]);
  });

  it('rolling: ends at an instance that is not ready in time, leaving the later ones running untouched', async () => {
    const { steps, log } = recordedSteps('auth#2');
    expect(await rollingRestart(targets, steps, 5_000)).toEqual({ ready: false, restarted: ['auth', 'auth#2'], failed: { name: 'auth#2', reason: 'not running (connection refused)' } });
    expect(log.filter((step) => step.startsWith('stop') || step.startsWith('start')).filter((step) => step.includes('auth#3'))).toEqual([]);
  });

  // Regression: the restart waited a fixed 3 s after an instance's /ready; a gateway that had ejected
  // the first instance (or not probed it back) was left only the draining second one, and POSTs failed.
  it('rolling: stops nothing while the gateway does not send to an instance that must carry the load', async () => {
    const { steps, log } = recordedSteps(undefined, 'auth');
    expect(await rollingRestart(targets, steps, 5_000)).toEqual({ ready: false, restarted: ['auth'], failed: { name: 'auth', reason: 'the gateway does not send it requests' } });
    expect(log.filter((step) => step.startsWith('stop'))).toEqual(['stop auth']);
  });

  it('without --rolling: stops all, starts all, then waits for all', async () => {
    const { steps, log } = recordedSteps('auth#3');
    expect(await fullRestart(targets, steps, 5_000)).toEqual({ ready: false, restarted: ['auth', 'auth#2', 'auth#3'], failed: { name: 'auth#3', reason: 'not running (connection refused)' } });
    expect(log).toEqual(['stop auth', 'stop auth#2', 'stop auth#3', 'start auth', 'start auth#2', 'start auth#3', 'wait auth+auth#2+auth#3 5000']);
  });
});
