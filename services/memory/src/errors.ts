/** Stable codes of the memory service; docs/api/errors.md explains each. */
export const memoryErrorCodes = {
  notFound: 'MEMORY_NOT_FOUND',
  contentEmpty: 'MEMORY_CONTENT_EMPTY',
  metadataTooLarge: 'MEMORY_METADATA_TOO_LARGE',
  /** Nested deeper than the limit, or a NUL character in a key or a string. */
  metadataInvalid: 'MEMORY_METADATA_INVALID',
  /** Content with a NUL character, which PostgreSQL text cannot hold (refused on both backends alike). */
  contentInvalid: 'MEMORY_CONTENT_INVALID',
  relationTargetNotFound: 'MEMORY_RELATION_TARGET_NOT_FOUND',
  badCursor: 'MEMORY_INVALID_CURSOR',
  emptyQuery: 'MEMORY_QUERY_EMPTY',
  itemLimitReached: 'MEMORY_ITEM_LIMIT_REACHED',
  limitsUnavailable: 'MEMORY_LIMITS_UNAVAILABLE',
  /** The remote embeddings model failed after its retries (down, rate-limiting, refusing the key, or answering vectors of another length). */
  embeddingsUnavailable: 'MEMORY_EMBEDDINGS_UNAVAILABLE',
} as const;
