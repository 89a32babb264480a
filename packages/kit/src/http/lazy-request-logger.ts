import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

/**
 * `request.log`, made into a pino child only when something logs through it. Fastify builds a
 * child logger for every request, which serialises its bindings each time (a few percent of the
 * gateway's CPU per request in its profile); most requests log nothing but their access line,
 * which the access-log controller writes through the service's logger with the same fields.
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private current: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get bindings(): Bindings {
    return this.current;
  }

  /**
   * The request's trace id, once its OpenTelemetry span has one. A logger already made keeps the
   * id it was made with (only a line written before the span starts can have made it).
   */
  retrace(traceId: string): void {
    if (this.made === undefined) this.current = { ...this.current, traceId };
  }

  /** Whether a line can go through the parent with `bindings` inline (no per-route level or serializers). */
  get plain(): boolean {
    return this.made === undefined && Object.keys(this.options).length === 0;
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  // Prototype methods, not arrow fields: nothing is allocated per request until something logs.
  fatal(...args: unknown[]): void {
    this.methods().fatal(...args);
  }

  error(...args: unknown[]): void {
    this.methods().error(...args);
  }

  warn(...args: unknown[]): void {
    this.methods().warn(...args);
  }

  info(...args: unknown[]): void {
    this.methods().info(...args);
  }

  debug(...args: unknown[]): void {
    this.methods().debug(...args);
  }

  trace(...args: unknown[]): void {
    this.methods().trace(...args);
  }

  silent(...args: unknown[]): void {
    this.methods().silent(...args);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  private methods(): Record<'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent', (...args: unknown[]) => void> {
    return this.real() as unknown as Record<'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent', (...args: unknown[]) => void>;
  }

  private real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.current, this.options);
    return this.made;
  }
}
