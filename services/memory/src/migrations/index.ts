import type { ServiceMigrations } from '@lift/kit';
import { memoriesMigration } from './0001-memories.js';
import { spacesAndScopesMigration } from './0002-spaces-and-scopes.js';
import { factsOverTimeMigration } from './0003-facts-over-time.js';

/** The memory service's tables, oldest first. Never edit a migration that has shipped; add one. */
export const memoryMigrations: ServiceMigrations = {
  '0001_memories': memoriesMigration,
  '0002_spaces_and_scopes': spacesAndScopesMigration,
  '0003_facts_over_time': factsOverTimeMigration,
};
