import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseLocation, migrateToLatest, openDatabase, type Database } from '@lift/kit';
import type { AuthTables } from '../src/app.js';
import { authMigrations } from '../src/migrations/index.js';
import { testSchemaName } from '../../../tests/support/test-schema.js';
import { backends, testDatabaseUrl } from './helper.js';

const opened: Database<AuthTables>[] = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()?.close();
});

describe.each(backends)('accounts from before their origin was recorded, on $name', ({ postgres }) => {
  it('count as bootstrap\'s when no registration was audited for them', async () => {
    const url = postgres ? (testDatabaseUrl as string) : `sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-auth-')), 'lift.db')}`;
    const database = await openDatabase<AuthTables>({ location: databaseLocation(url, 'auth', testSchemaName('auth')) });
    opened.push(database);
    const before = Object.fromEntries(Object.entries(authMigrations).filter(([name]) => name < '0004_account_origin'));
    await migrateToLatest(database, before);
    // The tables as they were before the migration (no origin column).
    const db = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const at = '2026-11-01T00:00:00.000Z';
    const user = (id: string) => ({ id, email: `${id}@example.com`, password_hash: 'x', display_name: null, created_at: at, updated_at: at });
    await db.insertInto('users').values([user('admin'), user('person')]).execute();
    await db.insertInto('audit_events').values({ id: `${at}_1`, organisation_id: null, actor_id: 'person', action: 'user.registered', target_type: 'user', target_id: 'person', ip: null, details: '{}', created_at: at }).execute();

    await migrateToLatest(database, authMigrations);
    const origins = await database.db.selectFrom('users').select(['id', 'origin']).orderBy('id').execute();
    expect(origins).toEqual([{ id: 'admin', origin: 'bootstrap' }, { id: 'person', origin: 'registration' }]);
  });
});
