import type { Kysely, Migration } from 'kysely';

/** Health checks, alert rules, alerts and notification deliveries. */
export const monitoringMigration: Migration = {
  async up(_db: Kysely<unknown>) {},
};
