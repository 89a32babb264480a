import type { ServiceMigrations } from '@lift/kit';

/**
 * The observability service's tables, oldest first. Its domain tables arrive with its domain API
 * (see the observability issue); the kit already creates the schema and the migration bookkeeping.
 */
export const observabilityMigrations: ServiceMigrations = {};
