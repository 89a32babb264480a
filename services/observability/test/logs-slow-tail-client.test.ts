import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createLogger, InProcessState, systemClock } from '@lift/kit';
import { LogTail } from '../src/logs/log-tail.js';
import type { StoredLogLine } from '../src/store/log-store.js';

/** A socket that never drains (every write reports a full buffer), or one that always keeps up. */
function fakeResponse(keepsUp: boolean) {
  const response = Object.assign(new EventEmitter(), {
    written: [] as string[],
    destroyed: false,
    write(chunk: string): boolean {
      response.written.push(chunk);
      return keepsUp;
    },
    end() {},
    destroy() {
      response.destroyed = true;
      response.emit('close');
    },
  });
  return response;
}

const line = (id: number): StoredLogLine => ({ id, timeMs: Date.parse('2026-11-28T08:30:00Z'), service: 'auth', level: 30, msg: `line ${id}`, reqId: null, traceId: null, org: null, fields: '{}' });

describe('a live-tail client that reads too slowly', () => {
  it('is held to its buffer and then disconnected, while the others go on', async () => {
    const tail = new LogTail({ state: new InProcessState(systemClock), log: createLogger({ service: 'test', version: '0', level: 'silent' }), heartbeatMs: 60_000, bufferLines: 10, bufferBytes: 1_048_576, maxClients: 5, maxClientsPerOrg: 5, platformReserve: 0 });
    await tail.start();
    const slow = fakeResponse(false);
    const fast = fakeResponse(true);
    tail.add(slow as unknown as ServerResponse, { words: [] }, undefined);
    tail.add(fast as unknown as ServerResponse, { words: [] }, undefined);
    await tail.publish(Array.from({ length: 30 }, (_, index) => line(index + 1)));
    await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
    // One write reached the socket, ten waited, the twelfth dropped the client.
    expect(slow.written).toHaveLength(1);
    expect(slow.destroyed).toBe(true);
    expect(fast.written).toHaveLength(30);
    expect(tail.size).toBe(1);
    await tail.stop();
  });
});
