import { PassThrough, type Readable } from 'node:stream';

/**
 * The event streams the gateway is relaying, so that it can end them when it closes. Such a
 * stream never ends by itself: left alone it holds the gateway's close until the forced exit at
 * SHUTDOWN_TIMEOUT_MS, which cuts the client's answer mid-chunk and skips the closing work
 * (the usage outbox). Ended here instead, the client sees a complete answer — an EventSource
 * reconnects, to another replica — and the upstream's connection is released.
 */
export class OpenStreams {
  private readonly enders = new Set<() => void>();
  private closing = false;

  /** Streams being relayed now. */
  get size(): number {
    return this.enders.size;
  }

  /**
   * The stream to send the client in place of the upstream's `body`: the same bytes, with
   * backpressure, ended cleanly by `endAll`. An upstream that fails mid-stream still breaks the
   * client's answer (it is incomplete), and a client that goes away still releases the upstream.
   */
  relay(body: Readable): Readable {
    const relayed = new PassThrough();
    let ending = false;
    const end = (): void => {
      ending = true;
      this.enders.delete(end);
      body.unpipe(relayed);
      // undici aborts the request it destroys (the upstream's connection closes): its error is ours.
      body.destroy();
      relayed.end();
    };
    body.on('error', (error) => {
      if (!ending) relayed.destroy(error);
    });
    relayed.once('close', () => {
      this.enders.delete(end);
      ending = true;
      body.destroy();
    });
    body.pipe(relayed);
    this.enders.add(end);
    // Its answer came after the close began: ended at once, rather than left to hold the close.
    if (this.closing) end();
    return relayed;
  }

  /** Ends every stream relayed now and any that starts from now on; returns how many were open. */
  endAll(): number {
    this.closing = true;
    const open = [...this.enders];
    for (const end of open) end();
    return open.length;
  }
}
