import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseLocation, migrateToLatest, MigrationError, openDatabase, type DatabaseLocation, type ServiceMigrations } from '../src/index.js';
import { testDatabaseUrl, uniqueName } from './backing-services.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';
import { closeWhenDone } from './helper.js';

interface NotesTables {
  notes: { id: string; text: string; created_at: string };
}

const notesMigrations: ServiceMigrations = {
  '0001_notes': {
    up: async (db: Kysely<unknown>) => {
      await db.schema.createTable('notes').addColumn('id', 'text', (column) => column.primaryKey()).addColumn('text', 'text', (column) => column.notNull()).execute();
    },
  },
  '0002_notes_created_at': {
    up: async (db: Kysely<unknown>) => {
      await db.schema.alterTable('notes').addColumn('created_at', 'text', (column) => column.notNull().defaultTo('1970-01-01T00:00:00Z')).execute();
    },
  },
};

const dialects: { name: string; location: () => DatabaseLocation; enabled: boolean }[] = [
  { name: 'SQLite', enabled: true, location: () => databaseLocation(`sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-db-')), 'lift.db')}`, 'notes') },
  { name: 'PostgreSQL', enabled: !skipUnless(testDatabaseUrl !== undefined, 'migrations on PostgreSQL', 'TEST_DATABASE_URL'), location: () => databaseLocation(testDatabaseUrl as string, 'notes', uniqueName('notes')) },
];

async function open(location: DatabaseLocation) {
  const database = await openDatabase<NotesTables>({ location });
  closeWhenDone(() => database.close());
  return database;
}

for (const dialect of dialects) {
  describe.skipIf(!dialect.enabled)(`migrations on ${dialect.name}`, () => {
    it('run in order at start, once, into the service\'s own space', async () => {
      const location = dialect.location();
      const database = await open(location);
      expect(await migrateToLatest(database, notesMigrations)).toEqual(['0001_notes', '0002_notes_created_at']);
      expect(await migrateToLatest(database, notesMigrations)).toEqual([]);

      await database.db.insertInto('notes').values({ id: 'n1', text: 'remember the milk', created_at: '2026-11-28T09:00:00Z' }).execute();
      const rows = await database.db.selectFrom('notes').selectAll().execute();
      expect(rows).toEqual([{ id: 'n1', text: 'remember the milk', created_at: '2026-11-28T09:00:00Z' }]);
      await database.ping();
    });

    it('keep two services apart in one database', async () => {
      const first = dialect.location();
      const database = await open(first);
      await migrateToLatest(database, notesMigrations);
      const other: DatabaseLocation =
        first.dialect === 'postgres' ? { ...first, schema: uniqueName('other') } : { dialect: 'sqlite', file: first.file.replace('.notes.', '.other.') };
      const otherDatabase = await open(other);
      await migrateToLatest(otherDatabase, {});
      // The other service's unqualified names resolve to its own space, where no notes table exists.
      await expect(sql`select count(*) from notes`.execute(otherDatabase.db)).rejects.toThrow(/notes/);
    });

    it('report a failing migration by name', async () => {
      const database = await open(dialect.location());
      const broken: ServiceMigrations = { ...notesMigrations, '0003_broken': { up: async (db: Kysely<unknown>) => void (await sql`select * from no_such_table`.execute(db)) } };
      await expect(migrateToLatest(database, broken)).rejects.toThrow(MigrationError);
      await expect(migrateToLatest(database, broken)).rejects.toThrow(/0003_broken/);
    });
  });
}

describe('SQLite settings', () => {
  it('uses WAL, a busy timeout, foreign keys and the chosen durability', async () => {
    const location = dialects[0]?.location() as DatabaseLocation;
    const database = await openDatabase<NotesTables>({ location, sqliteSynchronous: 'FULL' });
    closeWhenDone(() => database.close());
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(database.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('synchronous')).toBe(2);
  });
});
