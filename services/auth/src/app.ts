import { createService, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { AuthConfig } from './config.js';
import { authIdentity } from './identity.js';

/** The tables of this service's database, for Kysely's typed queries. */
export type AuthTables = Record<string, never>;

export type AuthDeps = DatabaseServiceDeps<AuthConfig, AuthTables>;

export async function buildApp(deps: AuthDeps): Promise<ServiceApp> {
  return createService({ identity: authIdentity, config: deps.config, log: deps.log, clock: deps.clock });
}
