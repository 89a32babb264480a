import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseLocation, migrateToLatest, openDatabase, transactionalStore, type DatabaseLocation } from '../src/index.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';
import { testDatabaseUrl, uniqueName } from './backing-services.js';
import { closeWhenDone } from './helper.js';

interface NotesTables {
  notes: { id: string; text: string };
}

const dialects: { name: string; location: () => DatabaseLocation; enabled: boolean }[] = [
  { name: 'SQLite', enabled: true, location: () => databaseLocation(`sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-db-')), 'lift.db')}`, 'notes') },
  { name: 'PostgreSQL', enabled: !skipUnless(testDatabaseUrl !== undefined, 'transactional stores on PostgreSQL', 'TEST_DATABASE_URL'), location: () => databaseLocation(testDatabaseUrl as string, 'notes', uniqueName('notes')) },
];

function notesQueries(db: Kysely<NotesTables>) {
  return {
    add: (id: string, text: string) => db.insertInto('notes').values({ id, text }).execute(),
    all: () => db.selectFrom('notes').selectAll().orderBy('id').execute(),
  };
}

async function notesStore(location: DatabaseLocation) {
  const database = await openDatabase<NotesTables>({ location });
  closeWhenDone(() => database.close());
  await migrateToLatest(database, {
    '0001_notes': { up: async (db: Kysely<unknown>) => void (await db.schema.createTable('notes').addColumn('id', 'text', (column) => column.primaryKey()).addColumn('text', 'text').execute()) },
  });
  return transactionalStore(database.db, notesQueries);
}

for (const dialect of dialects) {
  describe.skipIf(!dialect.enabled)(`a transactional store on ${dialect.name}`, () => {
    it('commits the queries of a transaction together', async () => {
      const store = await notesStore(dialect.location());
      await store.transaction(async (queries) => {
        await queries.add('n1', 'first');
        await queries.add('n2', 'second');
      });
      expect(await store.all()).toEqual([{ id: 'n1', text: 'first' }, { id: 'n2', text: 'second' }]);
    });

    it('keeps nothing of a transaction whose work throws, and rethrows', async () => {
      const store = await notesStore(dialect.location());
      const refused = new Error('a rule was broken mid-way');
      await expect(
        store.transaction(async (queries) => {
          await queries.add('n1', 'written, then rolled back');
          throw refused;
        }),
      ).rejects.toBe(refused);
      expect(await store.all()).toEqual([]);
    });
  });
}
