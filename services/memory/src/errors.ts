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
  /** A module's delegated token doing what its manifest's memoryRequirements does not declare. */
  moduleNotAllowed: 'MEMORY_MODULE_NOT_ALLOWED',
  /** The registry cannot say what a module may do, and nothing is known yet. */
  modulesUnavailable: 'MEMORY_MODULES_UNAVAILABLE',
  /** GET/DELETE of a space the organisation does not have. */
  spaceNotFound: 'MEMORY_SPACE_NOT_FOUND',
  /** A memory or a search names a space the organisation does not have. */
  spaceUnknown: 'MEMORY_SPACE_UNKNOWN',
  spaceExists: 'MEMORY_SPACE_EXISTS',
  /** A dimension whose max is not above its min, or two dimensions of one name. */
  spaceInvalid: 'MEMORY_SPACE_INVALID',
  spaceLimitReached: 'MEMORY_SPACE_LIMIT_REACHED',
  dimensionUnknown: 'MEMORY_DIMENSION_UNKNOWN',
  dimensionMissing: 'MEMORY_DIMENSION_MISSING',
  dimensionOutOfRange: 'MEMORY_DIMENSION_OUT_OF_RANGE',
  /** Conceptual mode without a space and a point, or one of the two without the other. */
  pointRequired: 'MEMORY_POINT_REQUIRED',
  /** Every dimension weighted 0: there is no distance to rank by. */
  weightsInvalid: 'MEMORY_DIMENSION_WEIGHTS_INVALID',
  /** The remote embeddings model failed after its retries (down, rate-limiting, refusing the key, or answering vectors of another length). */
  embeddingsUnavailable: 'MEMORY_EMBEDDINGS_UNAVAILABLE',
  /** Superseding (or changing) a memory that was superseded already: only the current version has a successor. */
  alreadySuperseded: 'MEMORY_ALREADY_SUPERSEDED',
  /** `asOf` that is not an ISO-8601 timestamp, or is in the future. */
  asOfInvalid: 'MEMORY_AS_OF_INVALID',
} as const;
