import { createService, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { BillingConfig } from './config.js';
import { billingIdentity } from './identity.js';

/** The tables of this service's database, for Kysely's typed queries. */
export type BillingTables = Record<string, never>;

export type BillingDeps = DatabaseServiceDeps<BillingConfig, BillingTables>;

export async function buildApp(deps: BillingDeps): Promise<ServiceApp> {
  return createService({ identity: billingIdentity, config: deps.config, log: deps.log, clock: deps.clock });
}
