import { Transform, type Readable } from 'node:stream';

export class BodyTooLargeError extends Error {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/**
 * The request body as it streams to the upstream, cut off with BodyTooLargeError once it passes
 * the limit. Needed for chunked bodies, whose size is known only while reading them; a declared
 * Content-Length over the limit is refused before anything is sent.
 */
export function limitedBody(body: Readable, limitBytes: number): { stream: Readable; exceeded(): boolean; clientLeft(): boolean } {
  let exceeded = false;
  let clientLeft = false;
  let total = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total <= limitBytes) return done(null, chunk);
      exceeded = true;
      done(new BodyTooLargeError(limitBytes));
    },
  });
  // pipe(), not pipeline(): a failed limiter must leave the client's request open, so that the
  // client still receives the 413 (Node discards the unread rest once the answer is sent).
  body.pipe(limiter);
  // pipe() does not pass a client's hang-up on: the upload would never end, and the upstream's
  // connection would wait for the rest of it for good.
  body.once('close', () => {
    if (body.readableEnded || limiter.destroyed) return;
    clientLeft = true;
    limiter.destroy(new Error('the client closed its connection during the upload'));
  });
  // undici reports a failed body stream as its own AbortError; the flags say why it failed.
  return { stream: limiter, exceeded: () => exceeded, clientLeft: () => clientLeft };
}
