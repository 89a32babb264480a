import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isEventStream } from '@lift/kit';
import { OpenStreams } from '../src/open-streams.js';

/** Everything `stream` gives until it ends, or how it broke. */
function read(stream: Readable): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.once('end', () => resolve({ text }));
    stream.once('error', (error) => resolve({ text, error: error.message }));
  });
}

describe('event streams in relay', () => {
  it('knows an event stream by its content type', () => {
    expect(isEventStream('text/event-stream')).toBe(true);
    expect(isEventStream('Text/Event-Stream; charset=utf-8')).toBe(true);
    expect(isEventStream(['text/event-stream'])).toBe(true);
    expect(isEventStream('application/json')).toBe(false);
    expect(isEventStream('text/plain; note=text/event-stream')).toBe(false);
    expect(isEventStream(undefined)).toBe(false);
  });

  it('passes the upstream bytes on, and ends the client side cleanly while destroying the upstream side at the close', async () => {
    const streams = new OpenStreams();
    const upstream = new PassThrough();
    const relayed = streams.relay(upstream);
    const reading = read(relayed);
    upstream.write('data: 1\n\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(streams.size).toBe(1);

    expect(streams.endAll()).toBe(1);
    upstream.write('data: after the close\n\n');
    expect(await reading).toEqual({ text: 'data: 1\n\n' });
    expect(upstream.destroyed).toBe(true);
    expect(streams.size).toBe(0);
  });

  it('ends at once a stream whose answer comes after the close began', async () => {
    const streams = new OpenStreams();
    streams.endAll();
    const upstream = new PassThrough();
    const reading = read(streams.relay(upstream));
    expect(await reading).toEqual({ text: '' });
    expect(upstream.destroyed).toBe(true);
    expect(streams.size).toBe(0);
  });

  it('breaks the client side when the upstream fails mid-stream, and releases the upstream when the client goes', async () => {
    const streams = new OpenStreams();
    const failing = new PassThrough();
    const reading = read(streams.relay(failing));
    failing.write('data: 1\n\n');
    failing.destroy(new Error('upstream reset'));
    expect(await reading).toMatchObject({ error: 'upstream reset' });

    const upstream = new PassThrough();
    const relayed = streams.relay(upstream);
    relayed.destroy();
    await new Promise((resolve) => relayed.once('close', resolve));
    expect(upstream.destroyed).toBe(true);
    expect(streams.size).toBe(0);
  });

  it('leaves an upstream that ends by itself to end the client side', async () => {
    const streams = new OpenStreams();
    const upstream = new PassThrough();
    const reading = read(streams.relay(upstream));
    upstream.end('data: last\n\n');
    expect(await reading).toEqual({ text: 'data: last\n\n' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(streams.size).toBe(0);
  });
});
