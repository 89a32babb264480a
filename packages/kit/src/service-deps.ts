import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { ServiceDatabase } from './service-context.js';
import type { HttpClient } from './http/http-client.js';
import type { SharedState } from './state/shared-state.js';

/** Everything a service's `buildApp` needs, passed in as one object (nothing global). */
export interface ServiceDeps<Config> {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  readonly state: SharedState;
  readonly http: HttpClient;
}

export interface DatabaseServiceDeps<Config, Schema> extends ServiceDeps<Config> {
  readonly database: ServiceDatabase<Schema>;
}
