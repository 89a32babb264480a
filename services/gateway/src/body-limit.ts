import { Transform, type Readable, type TransformOptions } from 'node:stream';

export class BodyTooLargeError extends Error {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/** The request body on its way to the upstream (see `limitedBody`). */
export interface LimitedBody {
  readonly stream: Readable;
  /** The body passed the limit (the upload failed with BodyTooLargeError). */
  exceeded(): boolean;
  /** The client hung up during its upload. */
  clientLeft(): boolean;
  /**
   * Whether the stream can be handed to another attempt: nothing of the client's body has been
   * read yet (nothing is read before an upstream connection asks for it) and the stream is
   * intact — so a request whose connection could not even be made may go to another instance.
   */
  resendable(): boolean;
}

/**
 * Reads its source only once its own reader (undici, on a connected socket) asks for data: a
 * body taken from the client into a stream that then failed to connect could not be sent again.
 */
class BodyLimiter extends Transform {
  private readonly startReading: () => void;
  started = false;

  constructor(startReading: () => void, options: TransformOptions) {
    super(options);
    this.startReading = startReading;
  }

  override _read(size: number): void {
    if (!this.started) {
      this.started = true;
      this.startReading();
    }
    super._read(size);
  }
}

/**
 * The request body as it streams to the upstream, cut off with BodyTooLargeError once it passes
 * the limit. Needed for chunked bodies, whose size is known only while reading them; a declared
 * Content-Length over the limit is refused before anything is sent.
 */
export function limitedBody(body: Readable, limitBytes: number): LimitedBody {
  let exceeded = false;
  let clientLeft = false;
  let total = 0;
  const limiter: BodyLimiter = new BodyLimiter(
    // pipe(), not pipeline(): a failed limiter must leave the client's request open, so that the
    // client still receives the 413 (which closes the connection: the unread rest is never read).
    () => body.pipe(limiter),
    {
      transform(chunk: Buffer, _encoding, done) {
        total += chunk.length;
        if (total <= limitBytes) return done(null, chunk);
        exceeded = true;
        done(new BodyTooLargeError(limitBytes));
      },
    },
  );
  // Its failures are read from the flags (undici reports them as its own AbortError while it
  // sends). Between attempts — after a refused connection, during a retry's backoff — nobody else
  // listens, and an 'error' nobody listens to would end the process.
  limiter.on('error', () => undefined);
  // pipe() does not pass a client's hang-up on: the upload would never end, and the upstream's
  // connection would wait for the rest of it for good.
  const leave = (): void => {
    if (body.readableEnded || limiter.destroyed) return;
    clientLeft = true;
    limiter.destroy(new Error('the client closed its connection during the upload'));
  };
  if (body.destroyed) leave();
  else body.once('close', leave);
  return { stream: limiter, exceeded: () => exceeded, clientLeft: () => clientLeft, resendable: () => !limiter.started && !limiter.destroyed };
}
