import { createService, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { RegistryConfig } from './config.js';
import { registryIdentity } from './identity.js';

/** The tables of this service's database, for Kysely's typed queries. */
export type RegistryTables = Record<string, never>;

export type RegistryDeps = DatabaseServiceDeps<RegistryConfig, RegistryTables>;

export async function buildApp(deps: RegistryDeps): Promise<ServiceApp> {
  return createService({ identity: registryIdentity, config: deps.config, log: deps.log, clock: deps.clock });
}
