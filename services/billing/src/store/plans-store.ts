import type { Kysely } from 'kysely';
import type { BillingTables } from '../tables.js';

export type PlanRow = BillingTables['plans'];

/** Plans: their terms are one JSON definition per row (see plan-schema.ts). */
export function plansStore(db: Kysely<BillingTables>) {
  return {
    all: (options: { includeArchived: boolean }) => {
      let query = db.selectFrom('plans').selectAll().orderBy('id');
      if (!options.includeArchived) query = query.where('archived', '=', 0);
      return query.execute();
    },
    byId: (id: string) => db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Fails with a unique violation when the id is taken. */
    insert: (row: PlanRow) => db.insertInto('plans').values(row).execute(),
    /** Leaves an existing plan as it is (replicas seeding at once, an operator's edits). */
    insertUnlessExists: (row: PlanRow) => db.insertInto('plans').values(row).onConflict((conflict) => conflict.column('id').doNothing()).execute(),
    updateDefinition: (id: string, definition: string, at: string) => db.updateTable('plans').set({ definition, updated_at: at }).where('id', '=', id).execute(),
    archive: (id: string, at: string) => db.updateTable('plans').set({ archived: 1, updated_at: at }).where('id', '=', id).execute(),
  };
}
