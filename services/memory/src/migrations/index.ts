import type { ServiceMigrations } from '@lift/kit';

/**
 * The memory service's tables, oldest first. Its domain tables arrive with its domain API
 * (see the memory issue); the kit already creates the schema and the migration bookkeeping.
 */
export const memoryMigrations: ServiceMigrations = {};
