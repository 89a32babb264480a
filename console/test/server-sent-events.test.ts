import { describe, expect, it } from 'vitest';
import { serverSentEvents, type ServerSentEvent } from '../src/api/server-sent-events.js';

/** A body that arrives in the given pieces, as a network delivers it. */
function bodyOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function eventsOf(body: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of serverSentEvents(body)) events.push(event);
  return events;
}

describe('server-sent events as the live tail reads them', () => {
  it('reads named events whose blocks and even characters are split across chunks, skipping heartbeats', async () => {
    const line = JSON.stringify({ msg: 'naïve café' });
    const whole = `: heartbeat\n\nevent: log\ndata: ${line}\n\nevent: log\ndata: {"msg":"second"}\n\n`;
    const bytes = new TextEncoder().encode(whole);
    // Split inside the multi-byte "ï" and inside the blank line that ends a block.
    const cut = whole.indexOf('ï') + 1;
    const pieces = [bytes.slice(0, cut), bytes.slice(cut, whole.indexOf('\n\nevent: log\ndata: {"msg":"second"') + 1 + 2), bytes.slice(whole.indexOf('\n\nevent: log\ndata: {"msg":"second"') + 1 + 2)];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    expect(await eventsOf(body)).toEqual([
      { event: 'log', data: line },
      { event: 'log', data: '{"msg":"second"}' },
    ]);
  });

  it('joins multi-line data, defaults the event name, reads CRLF line ends and drops a block with no data', async () => {
    expect(await eventsOf(bodyOf('data: one\r\ndata: two\r\n\r\n', 'event: ping\n\n', 'event: log\ndata:x\n\n'))).toEqual([
      { event: 'message', data: 'one\ntwo' },
      { event: 'log', data: 'x' },
    ]);
  });

  it('leaves out an unfinished last block (the stream was cut mid-event)', async () => {
    expect(await eventsOf(bodyOf('event: log\ndata: {"msg":"whole"}\n\nevent: log\ndata: {"msg":"cut'))).toEqual([{ event: 'log', data: '{"msg":"whole"}' }]);
  });
});
