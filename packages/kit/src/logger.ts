import { pino, type Logger } from 'pino';
import { batchedLogDestination } from './log-destination.js';

export type { Logger };

export interface LoggerOptions {
  readonly service: string;
  readonly version: string;
  readonly level: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  readonly destination?: NodeJS.WritableStream;
}

/**
 * JSON lines carrying `service` and `version` on every line, ISO timestamps, no hostname, written
 * to stdout in batches (see log-destination.ts: a line per request is on every request's path).
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level.toLowerCase() === 'warning' ? 'warn' : options.level.toLowerCase();
  const settings = {
    level,
    base: { service: options.service, version: options.version, pid: process.pid },
    timestamp: isoTimeOncePerMillisecond(),
    formatters: {
      level: (label: string) => ({ level: label }),
      // `service` names the service that wrote the line (log search files lines by it): a field of
      // that name in one call would repeat the key, and readers keep the last one.
      log: (fields: Record<string, unknown>) => {
        if (!('service' in fields)) return fields;
        const { service, ...rest } = fields;
        return { ...rest, aboutService: service };
      },
    },
  };
  if (options.destination) return pino(settings, options.destination);
  // A silent logger writes nothing: no destination (and no exit hook) for it.
  return level === 'silent' ? pino(settings) : pino(settings, batchedLogDestination(1));
}

/**
 * pino's isoTime, formatted once per millisecond instead of once per line: a busy gateway writes
 * an access line per request, and `toISOString` was ~2 % of its CPU (bench/gateway profile).
 */
function isoTimeOncePerMillisecond(): () => string {
  let formattedAt = -1;
  let formatted = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      formatted = `,"time":"${new Date(now).toISOString()}"`;
    }
    return formatted;
  };
}
