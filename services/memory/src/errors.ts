/** Stable codes of the memory service; docs/api/errors.md explains each. */
export const memoryErrorCodes = {
  notFound: 'MEMORY_NOT_FOUND',
  contentEmpty: 'MEMORY_CONTENT_EMPTY',
  metadataTooLarge: 'MEMORY_METADATA_TOO_LARGE',
  relationTargetNotFound: 'MEMORY_RELATION_TARGET_NOT_FOUND',
  badCursor: 'MEMORY_INVALID_CURSOR',
  emptyQuery: 'MEMORY_QUERY_EMPTY',
  itemLimitReached: 'MEMORY_ITEM_LIMIT_REACHED',
  limitsUnavailable: 'MEMORY_LIMITS_UNAVAILABLE',
} as const;
