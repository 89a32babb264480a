/**
 * Bounded ingestion: at most `concurrency` batches written at once and `queue` waiting. A batch
 * beyond that is refused before anything is stored (503 with Retry-After), so a producer keeps its
 * lines instead of this replica's memory growing with them.
 */
export class IngestionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  /** True when a new batch would be refused now (checked before its body is read). */
  get full(): boolean {
    return this.active >= this.concurrency && this.waiting.length >= this.queue;
  }

  /** A release function once the batch may be written, or undefined when it is refused. */
  enter(): Promise<() => void> | undefined {
    const release = () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    };
    if (this.active < this.concurrency) {
      this.active += 1;
      return Promise.resolve(release);
    }
    if (this.waiting.length >= this.queue) return undefined;
    return new Promise((resolve) => this.waiting.push(() => resolve(release)));
  }
}
