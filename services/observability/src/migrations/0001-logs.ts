import type { Kysely, Migration } from 'kysely';

/** Log lines and their search index. */
export const logsMigration: Migration = {
  async up(_db: Kysely<unknown>) {},
};
