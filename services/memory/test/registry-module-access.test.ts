import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, createLogger } from '@lift/kit';
import { manualClock } from '../../../tests/support/manual-clock.js';
import { sendJson, startStandIn, type StandIn } from '../../../tests/support/stand-in-server.js';
import { registryModuleAccess } from '../src/module-access/registry-module-access.js';

// A local server answering like the registry's GET /v1/route-table.
const standIns: StandIn[] = [];
afterEach(async () => {
  while (standIns.length > 0) await standIns.pop()?.close();
});

describe('what modules may do, read from the registry', () => {
  it('reads memoryRequirements from the route table, keeps the last known while the registry fails, and fails closed before any answer', async () => {
    let up = false;
    const registry = await startStandIn((request, response) => {
      if (!up) return sendJson(response, 503, { code: 'DOWN' });
      expect(request.headers.authorization).toBe('Bearer memory-service-token');
      sendJson(response, 200, { revision: 1, modules: [{ moduleId: 'notes', memoryRequirements: { read: true, write: true, memoryTypes: ['note'], searchTypes: ['text'] } }, { moduleId: 'bare', memoryRequirements: null }] });
    });
    standIns.push(registry);
    const clock = manualClock();
    const access = registryModuleAccess({
      registryUrl: registry.url,
      http: createHttpClient({ service: 'memory', version: 'test' }),
      tokens: { token: async () => 'memory-service-token', refused: () => undefined },
      clock,
      log: createLogger({ service: 'memory', version: 'test', level: 'silent' }),
      refreshMs: 10_000,
    });

    await expect(access.accessOf('notes')).rejects.toMatchObject({ code: 'MEMORY_MODULES_UNAVAILABLE' });
    up = true;
    expect(await access.accessOf('notes')).toEqual({ memoryTypes: ['note'], searchTypes: ['text'] });
    expect(await access.accessOf('bare')).toEqual({ memoryTypes: [], searchTypes: [] });
    expect(await access.accessOf('unknown')).toBeUndefined();

    up = false;
    clock.advance(10_000);
    expect(await access.accessOf('notes')).toEqual({ memoryTypes: ['note'], searchTypes: ['text'] });
  });
});
