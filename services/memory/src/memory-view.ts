import type { MemoryRow, RelationRow } from './store/index.js';
import type { MemoryView } from './schemas.js';

/** A stored memory as the API shows it, with its outgoing relations. */
export function memoryView(row: MemoryRow, relations: readonly RelationRow[]): MemoryView {
  return {
    id: row.id,
    content: row.content,
    type: row.type,
    tags: JSON.parse(row.tags) as string[],
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    relations: relations.filter((relation) => relation.source_id === row.id).map((relation) => ({ predicate: relation.predicate, target: relation.target_id })),
    source: row.source,
    embeddingModel: row.embedding_model,
    ...(row.user_id === null ? {} : { userId: row.user_id }),
    ...(row.session_id === null ? {} : { sessionId: row.session_id }),
    ...(row.space === null || row.space_values === null ? {} : { dimensions: { space: row.space, values: JSON.parse(row.space_values) as Record<string, number> } }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    validFrom: row.created_at,
    ...(row.valid_to === null ? {} : { validTo: row.valid_to }),
    ...(row.supersedes === null ? {} : { supersedes: row.supersedes }),
    ...(row.superseded_by === null ? {} : { supersededBy: row.superseded_by }),
  };
}
