import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isUniqueViolation, nowIso, type Clock } from '@lift/kit';
import type { AuthTables } from './tables.js';

/**
 * A random secret made once per installation and shared by every replica through the database
 * (the first replica to start creates it; the others read it).
 */
export async function serverSecret(db: Kysely<AuthTables>, clock: Clock, name: string): Promise<Buffer> {
  const existing = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return Buffer.from(existing.value, 'base64url');
  try {
    await db.insertInto('server_secrets').values({ name, value: randomBytes(32).toString('base64url'), created_at: nowIso(clock) }).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}
