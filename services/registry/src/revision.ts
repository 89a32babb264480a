import { sql, type Kysely } from 'kysely';
import type { SharedState } from '@lift/kit';
import type { RegistryTables } from './tables.js';

export const changesChannel = 'registry:changes';

/**
 * The route table's revision: bumped in the same transaction as every change the gateway must
 * see (a module registered, changed, enabled, disabled, removed, or its health flipping), then
 * announced on the shared state so long-polls on every registry replica wake up.
 */
export async function bumpRevision(transaction: Kysely<RegistryTables>): Promise<number> {
  await sql`update registry_revision set revision = revision + 1 where id = 1`.execute(transaction);
  const row = await transaction.selectFrom('registry_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

export async function currentRevision(db: Kysely<RegistryTables>): Promise<number> {
  const row = await db.selectFrom('registry_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

export async function announce(state: SharedState, revision: number): Promise<void> {
  await state.publish(changesChannel, String(revision));
}
