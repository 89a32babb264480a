import type { ServiceMigrations } from '@lift/kit';

/**
 * The auth service's tables, oldest first. Its domain tables arrive with its domain API
 * (see the auth issue); the kit already creates the schema and the migration bookkeeping.
 */
export const authMigrations: ServiceMigrations = {};
