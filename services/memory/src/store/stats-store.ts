import { sql, type Kysely } from 'kysely';
import type { MemoryTables } from '../tables.js';

/** Counts and sizes for an organisation's insights. */
export function statsStore(db: Kysely<MemoryTables>) {
  const countsBy = async (organisationId: string, column: 'type' | 'source') => {
    const rows = await db.selectFrom('memories').select([column, (eb) => eb.fn.countAll().as('count')]).where('organisation_id', '=', organisationId).groupBy(column).execute();
    return Object.fromEntries(rows.map((row) => [row[column as keyof typeof row] as string, Number(row.count)]));
  };
  return {
    countsBy,
    tagCounts: async (organisationId: string, top: number) => {
      const rows = await db.selectFrom('memory_tags').select(['tag', (eb) => eb.fn.countAll().as('count')]).where('organisation_id', '=', organisationId).groupBy('tag').orderBy('count', 'desc').orderBy('tag').limit(top).execute();
      return Object.fromEntries(rows.map((row) => [row.tag, Number(row.count)]));
    },
    relationCount: async (organisationId: string) => Number((await db.selectFrom('memory_relations').select((eb) => eb.fn.countAll().as('count')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()).count),
    /** Memories created per UTC day since `since` (ISO text: the first 10 characters are the day on both databases). */
    createdPerDay: async (organisationId: string, since: string) => {
      const day = sql<string>`substr(created_at, 1, 10)`;
      const rows = await db.selectFrom('memories').select([day.as('day'), (eb) => eb.fn.countAll().as('count')]).where('organisation_id', '=', organisationId).where('created_at', '>=', since).groupBy(day).orderBy(day).execute();
      return rows.map((row) => ({ day: row.day, created: Number(row.count) }));
    },
    updatedSince: async (organisationId: string, since: string) => Number((await db.selectFrom('memories').select((eb) => eb.fn.countAll().as('count')).where('organisation_id', '=', organisationId).where('updated_at', '>=', since).executeTakeFirstOrThrow()).count),
    /** Bytes of text, metadata and vectors the organisation stores (rows as written, not the database's pages). */
    storedBytes: async (organisationId: string) => {
      const row = await db
        .selectFrom('memories')
        .select([
          sql<number>`coalesce(sum(length(content)), 0)`.as('content'),
          sql<number>`coalesce(sum(length(metadata) + length(tags)), 0)`.as('metadata'),
          sql<number>`coalesce(sum(length(embedding)), 0)`.as('vectors'),
        ])
        .where('organisation_id', '=', organisationId)
        .executeTakeFirstOrThrow();
      return { content: Number(row.content), metadata: Number(row.metadata), vectors: Number(row.vectors) };
    },
  };
}
