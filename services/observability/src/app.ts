import { createService, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { ObservabilityConfig } from './config.js';
import { observabilityIdentity } from './service-identity.js';

/** The tables of this service's database, for Kysely's typed queries. */
export type ObservabilityTables = Record<string, never>;

export type ObservabilityDeps = DatabaseServiceDeps<ObservabilityConfig, ObservabilityTables>;

export async function buildApp(deps: ObservabilityDeps): Promise<ServiceApp> {
  return createService({ identity: observabilityIdentity, config: deps.config, log: deps.log, clock: deps.clock });
}
