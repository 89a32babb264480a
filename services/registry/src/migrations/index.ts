import type { ServiceMigrations } from '@lift/kit';

/**
 * The registry service's tables, oldest first. Its domain tables arrive with its domain API
 * (see the registry issue); the kit already creates the schema and the migration bookkeeping.
 */
export const registryMigrations: ServiceMigrations = {};
