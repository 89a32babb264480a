import type { ServiceMigrations } from '@lift/kit';
import { modulesMigration } from './0001-modules.js';

/** The registry service's tables, oldest first. Never edit a migration that has shipped; add one. */
export const registryMigrations: ServiceMigrations = {
  '0001_modules': modulesMigration,
};
