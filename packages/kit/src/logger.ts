import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  readonly service: string;
  readonly version: string;
  readonly level: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  readonly destination?: NodeJS.WritableStream;
}

/**
 * JSON lines carrying `service` and `version` on every line, ISO timestamps, no hostname.
 * stdout is written asynchronously (a line per access is on every request's path; a blocking
 * write each would cost more than the line), and pino flushes what is left when the process exits.
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level.toLowerCase() === 'warning' ? 'warn' : options.level.toLowerCase();
  const settings = {
    level,
    base: { service: options.service, version: options.version, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
