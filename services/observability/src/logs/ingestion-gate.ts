/** One batch admitted by the gate, from before its body is read until its answer is sent. */
export interface Admission {
  /** Counts `bytes` more of its body against the budget; false (nothing counted) when that would pass it. */
  grow(bytes: number): boolean;
  /** Gives its slot and bytes back; calling it again does nothing. */
  release(): void;
}

export interface IngestionGateSettings {
  /** Batches written at once. */
  readonly concurrency: number;
  /** Batches admitted beyond the writers: being read, parsed, or waiting for a writer. */
  readonly queue: number;
  /** Body bytes every admitted batch together may hold. */
  readonly maxBytesInFlight: number;
}

/**
 * Bounded ingestion. A batch is admitted before its body is read and counted until its answer is
 * sent: at most `concurrency + queue` batches at once and `maxBytesInFlight` body bytes (announced
 * lengths up front, chunked or compressed bodies as they arrive). Beyond that it is refused before
 * anything is stored (503 with Retry-After), so a producer keeps its lines instead of this
 * replica's memory growing with them. Of the admitted, at most `concurrency` write at once.
 */
export class IngestionGate {
  private admitted = 0;
  private bytes = 0;
  private writing = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly settings: IngestionGateSettings) {}

  /** Batches admitted now and the body bytes they hold (tests and metrics read it). */
  get inFlight(): { readonly batches: number; readonly bytes: number } {
    return { batches: this.admitted, bytes: this.bytes };
  }

  /** An admission holding `bytes` (the announced length, 0 when unknown), or undefined when it is refused. */
  admit(bytes: number): Admission | undefined {
    if (this.admitted >= this.settings.concurrency + this.settings.queue) return undefined;
    // A lone batch is admitted whatever its size (LOG_BATCH_MAX_BYTES bounds it): a budget below one batch must not refuse every batch.
    if (this.admitted > 0 && this.bytes + bytes > this.settings.maxBytesInFlight) return undefined;
    this.admitted += 1;
    this.bytes += bytes;
    let held = bytes;
    let released = false;
    return {
      grow: (more) => {
        if (released) return false;
        if (this.admitted > 1 && this.bytes + more > this.settings.maxBytesInFlight) return false;
        this.bytes += more;
        held += more;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.admitted -= 1;
        this.bytes -= held;
      },
    };
  }

  /** Resolves with a release function once an admitted batch may be written. */
  async write(): Promise<() => void> {
    if (this.writing < this.settings.concurrency) this.writing += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.writing -= 1;
    };
  }
}
