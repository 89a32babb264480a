import type { ServiceMigrations } from '@lift/kit';

/**
 * The billing service's tables, oldest first. Its domain tables arrive with its domain API
 * (see the billing issue); the kit already creates the schema and the migration bookkeeping.
 */
export const billingMigrations: ServiceMigrations = {};
