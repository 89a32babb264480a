import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@lift/kit';

/** A service logger whose JSON lines a test reads back, parsed; `silent` keeps nothing. */
export function capturingLogger(service = 'test-service', level: 'silent' | 'info' | 'warn' = 'info'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter((text) => text !== '')) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ service, version: 'test', level, destination }), lines };
}
