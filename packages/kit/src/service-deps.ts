import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { ServiceDatabase } from './service-context.js';
import type { HttpClient } from './http/http-client.js';
import type { SharedState } from './state/shared-state.js';
import type { ServiceTracing } from './tracing/service-tracing.js';

/** Everything a service's `buildApp` needs, passed in as one object (nothing global). */
export interface ServiceDeps<Config> {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  readonly state: SharedState;
  readonly http: HttpClient;
  /** OpenTelemetry, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: pass it to createService. */
  readonly tracing?: ServiceTracing | undefined;
}

export interface DatabaseServiceDeps<Config, Schema> extends ServiceDeps<Config> {
  readonly database: ServiceDatabase<Schema>;
}
