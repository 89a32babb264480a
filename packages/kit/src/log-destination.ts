import { writeSync } from 'node:fs';

export interface BatchedLogDestination {
  write(line: string): void;
  /** Writes what is buffered now (also done at exit). */
  flush(): void;
}

/**
 * Log lines collected and written to a file descriptor in batches: at 16 KB, or 50 ms after the
 * first unwritten line. A service writes an access line per request; one write(2) per line, or an
 * asynchronous write through libuv's thread pool per line (pino's asynchronous mode), cost the
 * gateway about a quarter of its CPU per request in the benchmark. A batch is one synchronous
 * write on the event loop. What is buffered is written when the process exits, and a line
 * reaches the log at most 50 ms late.
 */
export function batchedLogDestination(fd: number, options: { maxBytes?: number; maxDelayMs?: number } = {}): BatchedLogDestination {
  const maxBytes = options.maxBytes ?? 16_384;
  const maxDelayMs = options.maxDelayMs ?? 50;
  let pending: string[] = [];
  let pendingBytes = 0;
  let carry: Buffer | undefined;
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 && carry === undefined) return;
    const fresh = Buffer.from(pending.join(''), 'utf8');
    let data = carry ? Buffer.concat([carry, fresh]) : fresh;
    pending = [];
    pendingBytes = 0;
    carry = undefined;
    while (data.length > 0) {
      try {
        const written = writeSync(fd, data);
        data = data.subarray(written);
      } catch (error) {
        // A full non-blocking pipe (a slow log reader): keep the rest and try again shortly.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        carry = data;
        timer = setTimeout(flush, maxDelayMs);
        timer.unref();
        return;
      }
    }
  };

  process.once('exit', flush);
  return {
    write(line) {
      pending.push(line);
      pendingBytes += line.length;
      if (pendingBytes >= maxBytes) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, maxDelayMs);
        timer.unref();
      }
    },
    flush,
  };
}
