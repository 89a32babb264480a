import type { Clock, Logger, SharedState } from '@lift/kit';
import type { RegistryConfig } from './config.js';
import type { RegistryStore } from './store.js';
import type { UrlPolicy } from './url-guard.js';

/** What the registry's operations work with, built once in `buildApp`. */
export interface RegistryDomain {
  readonly config: RegistryConfig;
  /** Every query the registry makes goes through it. */
  readonly store: RegistryStore;
  readonly clock: Clock;
  readonly state: SharedState;
  readonly log: Logger;
  readonly urlPolicy: Promise<UrlPolicy>;
  /** Called after a module was registered or changed: checks it at once instead of at the next round. */
  readonly onModuleChanged: (moduleId: string) => void;
}
