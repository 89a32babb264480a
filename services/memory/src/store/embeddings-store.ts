import type { Kysely } from 'kysely';
import type { MemoryTables } from '../tables.js';

/** Where a page of the re-embedding work list starts: after this (organisation, id). */
export interface EmbeddingPosition {
  readonly organisationId: string;
  readonly id: string;
}

/**
 * The re-embedding work list: memories whose vector is of another model than the current one.
 * It is the table itself, so progress survives a restart with nothing else to keep.
 */
export function embeddingsStore(db: Kysely<MemoryTables>) {
  return {
    /** Memories still to re-embed (of one organisation, or of all). */
    staleCount: async (model: string, organisationId?: string) => {
      let query = db.selectFrom('memories').select((eb) => eb.fn.countAll().as('count')).where('embedding_model', '<>', model);
      if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
      return Number((await query.executeTakeFirstOrThrow()).count);
    },

    /** The next `limit` memories to re-embed after `after`, by (organisation, id). */
    stalePage: (model: string, after: EmbeddingPosition | undefined, limit: number) => {
      let query = db.selectFrom('memories').select(['organisation_id', 'id', 'content']).where('embedding_model', '<>', model);
      if (after) query = query.where((eb) => eb(eb.refTuple('organisation_id', 'id'), '>', eb.tuple(after.organisationId, after.id)));
      return query.orderBy('organisation_id').orderBy('id').limit(limit).execute();
    },

    /**
     * Stores new vectors of `model`, each only if the memory still holds the content that was
     * embedded and another model's vector (an edit meanwhile embedded it already). `updated_at`
     * stays: re-embedding is not a change to the memory. Answers the ids stored.
     */
    replaceVectors: async (organisationId: string, model: string, vectors: readonly { id: string; content: string; embedding: Buffer }[]) => {
      const stored: string[] = [];
      for (const vector of vectors) {
        const result = await db
          .updateTable('memories')
          .set({ embedding: vector.embedding, embedding_model: model })
          .where('organisation_id', '=', organisationId)
          .where('id', '=', vector.id)
          .where('content', '=', vector.content)
          .where('embedding_model', '<>', model)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) > 0) stored.push(vector.id);
      }
      return stored;
    },
  };
}
