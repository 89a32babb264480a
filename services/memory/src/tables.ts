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
    /** Who and which conversation the memory is about, when the caller says (scoping, not authorisation). */
    user_id: string | null;
    session_id: string | null;
    /** The conceptual space the memory is placed in, and its JSON `{ <dimension>: number }` there. */
    space: string | null;
    space_values: string | null;
    /** When it was superseded (its validity ends; it began at created_at); null while current. */
    valid_to: string | null;
    /** The memory this one replaced, and the one that replaced it. */
    supersedes: string | null;
    superseded_by: string | null;
  };
  memory_spaces: {
    organisation_id: string;
    name: string;
    description: string;
    /** JSON array of `{ name, min, max, weight, description }`, in the order given. */
    dimensions: string;
    created_at: string;
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
