import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchedLogDestination } from '../src/log-destination.js';
import { closeWhenDone } from './helper.js';

function logFile() {
  const path = join(mkdtempSync(join(tmpdir(), 'lift-log-')), 'service.log');
  const fd = openSync(path, 'w');
  closeWhenDone(async () => closeSync(fd));
  return { fd, read: () => readFileSync(path, 'utf8') };
}

describe('the batched log destination', () => {
  it('writes lines in order once a batch is full', () => {
    const file = logFile();
    const destination = batchedLogDestination(file.fd, { maxBytes: 30, maxDelayMs: 60_000 });
    destination.write('{"n":1}\n');
    destination.write('{"n":2}\n');
    expect(file.read()).toBe('');
    destination.write('{"n":3}\n{"n":4}\n');
    expect(file.read()).toBe('{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n');
  });

  it('writes a lone line within the delay, and what is left on flush', async () => {
    const file = logFile();
    const destination = batchedLogDestination(file.fd, { maxDelayMs: 20 });
    destination.write('{"msg":"listening"}\n');
    await expect.poll(() => file.read(), { interval: 10, timeout: 2_000 }).toBe('{"msg":"listening"}\n');
    destination.write('{"msg":"über"}\n');
    destination.flush();
    expect(file.read()).toBe('{"msg":"listening"}\n{"msg":"über"}\n');
  });
});
