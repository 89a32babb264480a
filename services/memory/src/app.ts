import { createService, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { MemoryConfig } from './config.js';
import { memoryIdentity } from './service-identity.js';

/** The tables of this service's database, for Kysely's typed queries. */
export type MemoryTables = Record<string, never>;

export type MemoryDeps = DatabaseServiceDeps<MemoryConfig, MemoryTables>;

export async function buildApp(deps: MemoryDeps): Promise<ServiceApp> {
  return createService({ identity: memoryIdentity, config: deps.config, log: deps.log, clock: deps.clock });
}
