import { describe, expect, it } from 'vitest';
import type { LogSinks } from '../src/log-sinks.js';
import type { Supervisor } from '../src/supervisor.js';
import { supervisorControl } from '../src/supervisor-control.js';

// Regression: two `lift restart auth --rolling` at once each stopped the instance the other relied
// on; both reported success while the gateway had nothing to send to.
describe('the control of a running lift up', () => {
  it('does one stop, start or restart of a service at a time and refuses a second meanwhile, naming why', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const stopped: string[] = [];
    const supervisor = {
      names: () => ['auth', 'auth#2', 'memory'],
      states: () => [],
      stopService: async (name: string) => {
        stopped.push(name);
        await held;
        return 'stopped' as const;
      },
      startService: async () => 'started' as const,
    } as unknown as Supervisor;
    const layout = [
      { name: 'auth', service: 'auth', index: 1, port: 8001, url: 'http://localhost:8001' },
      { name: 'auth#2', service: 'auth', index: 2, port: 8101, url: 'http://localhost:8101' },
      { name: 'memory', service: 'memory', index: 1, port: 8003, url: 'http://localhost:8003' },
    ];
    const control = supervisorControl({ supervisor, sinks: { shipping: () => undefined } as unknown as LogSinks, layout, stopDeadlineMs: 1_000, isStopping: () => false, say: () => undefined });
    const first = control({ command: 'stop', service: 'auth' });
    expect(await control({ command: 'restart', service: 'auth', rolling: true })).toEqual({ ok: false, error: 'failed', detail: 'a stop, start or restart of auth is in progress; try again when it is done' });
    // Another service is not held up by it.
    const other = control({ command: 'stop', service: 'memory' });
    release();
    expect(await first).toMatchObject({ ok: true, result: 'stopped' });
    expect(await other).toMatchObject({ ok: true, result: 'stopped' });
    expect(stopped.sort()).toEqual(['auth', 'auth#2', 'memory']);
    // Once done, the service takes the next request.
    expect(await control({ command: 'stop', service: 'auth' })).toMatchObject({ ok: true });
  });
});
