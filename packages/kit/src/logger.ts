import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  readonly service: string;
  readonly version: string;
  readonly level: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  readonly destination?: NodeJS.WritableStream;
}

/** JSON lines carrying `service` and `version` on every line, ISO timestamps, no hostname. */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level.toLowerCase() === 'warning' ? 'warn' : options.level.toLowerCase();
  const settings = {
    level,
    base: { service: options.service, version: options.version, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
