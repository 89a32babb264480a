import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

// Review of issue #15: the gateway logged `{ service: 'registry' }` about an upstream, which wrote
// a second `service` key after its own; log search (which keeps the last key) filed the gateway's
// line under the registry.
describe('a service\'s log line', () => {
  it('names the service that wrote it once, and keeps a `service` field of the call as aboutService', async () => {
    const raw: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
        done();
      },
    });
    const log = createLogger({ service: 'gateway', version: '1.0.0', level: 'info', destination });
    log.warn({ service: 'registry', err: new Error('refused') }, 'fetching a service\'s OpenAPI document failed');
    log.info({ route: '/x' }, 'plain line');
    await expect.poll(() => raw.length).toBe(2);
    const [about, plain] = raw as [string, string];
    expect(about.match(/"service":/g)).toHaveLength(1);
    expect(JSON.parse(about)).toMatchObject({ service: 'gateway', aboutService: 'registry', msg: 'fetching a service\'s OpenAPI document failed' });
    expect(JSON.parse(plain)).toMatchObject({ service: 'gateway', route: '/x' });
    expect(JSON.parse(plain)).not.toHaveProperty('aboutService');
  });
});
