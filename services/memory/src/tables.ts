/** The memory service's tables as Kysely sees them (snake_case; times are ISO-8601 UTC text). */
export interface MemoryTables {
  memories: {
    id: string;
    organisation_id: string;
    type: string;
    content: string;
    /** JSON array of strings; memory_tags holds one row per tag for filtering. */
    tags: string;
    /** JSON object. */
    metadata: string;
    source: string;
    /** Float32 little-endian vector of the content, by `embedding_model`. */
    embedding: Buffer;
    embedding_model: string;
    created_at: string;
    updated_at: string;
  };
  memory_tags: {
    organisation_id: string;
    memory_id: string;
    tag: string;
  };
  memory_relations: {
    organisation_id: string;
    source_id: string;
    predicate: string;
    target_id: string;
    created_at: string;
  };
}
