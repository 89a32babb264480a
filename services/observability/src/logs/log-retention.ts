import type { Clock, Logger } from '@lift/kit';
import type { LogStore } from '../store/log-store.js';

export interface LogRetentionSettings {
  readonly store: LogStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly days: number;
  readonly intervalMs: number;
  readonly chunk: number;
  /** Resolves once the tables exist. */
  readonly ready: Promise<unknown>;
}

/**
 * Deletes lines older than the retention, in chunks of one transaction each, so ingestion waits
 * for at most one chunk. Every replica runs it: two deleting the same lines only repeat a no-op.
 */
export class LogRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly settings: LogRetentionSettings) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce().catch((error: unknown) => this.settings.log.warn({ err: error }, 'deleting expired log lines failed; the next pass tries again')), this.settings.intervalMs);
    this.timer.unref();
  }

  /** One pass now (or the one running): answers how many lines it deleted. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    await this.settings.ready;
    const cutoffMs = this.settings.clock.now() - this.settings.days * 86_400_000;
    let deleted = 0;
    for (;;) {
      const count = await this.settings.store.transaction((queries) => queries.deleteOlderThan(cutoffMs, this.settings.chunk));
      deleted += count;
      if (count < this.settings.chunk || this.stopped) break;
    }
    if (deleted > 0) this.settings.log.info({ deleted, before: new Date(cutoffMs).toISOString() }, 'expired log lines deleted');
    return deleted;
  }
}
