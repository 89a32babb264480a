import type { Kysely, Migration } from 'kysely';

/**
 * Conceptual spaces (per organisation) and where a memory sits in one; the user and session a
 * memory is about. A memory sits in at most one space, so its place is two columns of its row
 * rather than a table of its own: deleting or erasing a memory needs no extra statement.
 */
export const spacesAndScopesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('memory_spaces')
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('description', 'text', (column) => column.notNull())
      .addColumn('dimensions', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('memory_spaces_pkey', ['organisation_id', 'name'])
      .execute();
    for (const column of ['user_id', 'session_id', 'space', 'space_values']) await db.schema.alterTable('memories').addColumn(column, 'text').execute();
    await db.schema.createIndex('memories_org_user').on('memories').columns(['organisation_id', 'user_id']).execute();
    await db.schema.createIndex('memories_org_session').on('memories').columns(['organisation_id', 'session_id']).execute();
    await db.schema.createIndex('memories_org_space').on('memories').columns(['organisation_id', 'space']).execute();
  },
};
