/**
 * A bounded first-in-first-out buffer of log lines: `push` never waits and never grows past the
 * capacity — when full, the oldest line is dropped and counted. A ring, so both ends are O(1).
 */
export class LogLineBuffer {
  private readonly ring: (string | undefined)[];
  private start = 0;
  private count = 0;
  /** Lines dropped to make room, since the start. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.ring = new Array<string | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(line: string): void {
    if (this.count === this.capacity) {
      this.ring[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count -= 1;
      this.dropped += 1;
    }
    this.ring[(this.start + this.count) % this.capacity] = line;
    this.count += 1;
  }

  /** Takes up to `maxLines` oldest lines, at most `maxBytes` of them (at least one line). */
  take(maxLines: number, maxBytes: number): string[] {
    const taken: string[] = [];
    let bytes = 0;
    while (this.count > 0 && taken.length < maxLines) {
      const line = this.ring[this.start] as string;
      const size = Buffer.byteLength(line) + 1;
      if (taken.length > 0 && bytes + size > maxBytes) break;
      taken.push(line);
      bytes += size;
      this.ring[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count -= 1;
    }
    return taken;
  }

  /**
   * Puts lines taken out (a batch that could not be delivered) back in front, in order. When the
   * buffer filled up meanwhile, the oldest of them are the ones dropped and counted.
   */
  putBack(lines: readonly string[]): void {
    const room = this.capacity - this.count;
    const kept = lines.length > room ? lines.slice(lines.length - room) : lines;
    this.dropped += lines.length - kept.length;
    for (let index = kept.length - 1; index >= 0; index -= 1) {
      this.start = (this.start - 1 + this.capacity) % this.capacity;
      this.ring[this.start] = kept[index];
      this.count += 1;
    }
  }
}

/** What became of one batch sent to observability. */
export type ShipResult =
  | { readonly kind: 'accepted'; readonly rejected: number }
  /** 429/503: observability refused before storing anything; try again after this long. */
  | { readonly kind: 'retry-after'; readonly delayMs: number; readonly reason: string }
  /** 400/413: this batch as it is will never be taken (too large, say). */
  | { readonly kind: 'refused'; readonly reason: string }
  /** Anything else (connection refused, 5xx, no token): try again with backoff. */
  | { readonly kind: 'failed'; readonly reason: string };

export interface LogShipperOptions {
  readonly send: (lines: readonly string[]) => Promise<ShipResult>;
  /** Lines held while observability is slow or away (default 10,000). */
  readonly capacity?: number;
  /** A batch is sent when this many lines wait (default 500)… */
  readonly batchLines?: number;
  /** …or this long after the first of them arrived (default 1,000 ms). */
  readonly flushAfterMs?: number;
  readonly batchBytes?: number;
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
}

export interface LogShippingStats {
  readonly queued: number;
  readonly shipped: number;
  /** Dropped by the supervisor: the buffer was full (or a line was refused as too large). */
  readonly dropped: number;
  /** Named as bad by observability in an accepted batch. */
  readonly rejected: number;
  readonly lastError?: string;
}

/**
 * Ships log lines to observability in batches, by count and by time, from a bounded buffer.
 * `push` only appends to the buffer, so a service's output is never held up by observability:
 * when observability is slow or down the buffer fills and its oldest lines are dropped (counted,
 * reported). A 429/503 is observability saying "not now" before storing anything: the lines are
 * kept and sent again after its Retry-After. Other failures retry with exponential backoff.
 */
export class LogShipper {
  private readonly buffer: LogLineBuffer;
  private readonly batchLines: number;
  private readonly batchBytes: number;
  private readonly flushAfterMs: number;
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** The timer is a Retry-After or backoff wait: a full batch does not cut it short. */
  private waiting = false;
  private sending: Promise<void> | undefined;
  private closed = false;
  private shipped = 0;
  private rejected = 0;
  private refusedDrops = 0;
  private lastError: string | undefined;
  /** The next batch's size after a refused one (halved until observability takes it). */
  private batchLinesOnce: number | undefined;

  constructor(private readonly options: LogShipperOptions) {
    this.buffer = new LogLineBuffer(options.capacity ?? 10_000);
    this.batchLines = options.batchLines ?? 500;
    this.batchBytes = options.batchBytes ?? 1024 * 1024;
    this.flushAfterMs = options.flushAfterMs ?? 1_000;
    this.firstRetryMs = options.firstRetryMs ?? 500;
    this.maxRetryMs = options.maxRetryMs ?? 15_000;
    this.retryMs = this.firstRetryMs;
  }

  push(line: string): void {
    if (this.closed) return;
    this.buffer.push(line);
    if (this.sending || this.waiting) return;
    if (this.buffer.length >= this.batchLines) this.sendNow();
    else this.timer ??= setTimeout(() => this.sendNow(), this.flushAfterMs);
  }

  stats(): LogShippingStats {
    return {
      queued: this.buffer.length,
      shipped: this.shipped,
      dropped: this.buffer.dropped + this.refusedDrops,
      rejected: this.rejected,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** Stops taking lines; one last attempt to send what waits, for at most `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    const drain = async (): Promise<void> => {
      if (this.sending) await this.sending;
      while (this.buffer.length > 0 && !this.waiting) await this.sendBatch();
    };
    await Promise.race([drain(), deadline]);
  }

  private sendNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = false;
    if (this.sending || this.buffer.length === 0) return;
    void this.sendBatch().then(() => {
      if (this.closed || this.waiting || this.buffer.length === 0) return;
      if (this.buffer.length >= this.batchLines) this.sendNow();
      else this.timer ??= setTimeout(() => this.sendNow(), this.flushAfterMs);
    });
  }

  private sendBatch(): Promise<void> {
    const batch = this.buffer.take(this.batchLinesOnce ?? this.batchLines, this.batchBytes);
    this.batchLinesOnce = undefined;
    this.sending = this.options
      .send(batch)
      .catch((error: unknown): ShipResult => ({ kind: 'failed', reason: (error as Error).message }))
      .then((result) => this.settle(batch, result))
      .finally(() => (this.sending = undefined));
    return this.sending;
  }

  private settle(batch: string[], result: ShipResult): void {
    switch (result.kind) {
      case 'accepted':
        this.shipped += batch.length - result.rejected;
        this.rejected += result.rejected;
        this.retryMs = this.firstRetryMs;
        this.lastError = undefined;
        return;
      case 'refused':
        // A batch observability will never take as it is: halves are tried, a single line is dropped.
        this.lastError = result.reason;
        if (batch.length === 1) this.refusedDrops += 1;
        else {
          this.buffer.putBack(batch);
          this.batchLinesOnce = Math.max(1, Math.floor(batch.length / 2));
        }
        return;
      case 'retry-after':
        this.lastError = result.reason;
        this.buffer.putBack(batch);
        this.wait(result.delayMs);
        return;
      case 'failed':
        this.lastError = result.reason;
        this.buffer.putBack(batch);
        this.wait(this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, this.maxRetryMs);
        return;
    }
  }

  private wait(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = true;
    if (!this.closed) this.timer = setTimeout(() => this.sendNow(), delayMs);
  }
}
