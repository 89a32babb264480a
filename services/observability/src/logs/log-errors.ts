/** Stable codes of log ingestion, search and tail; docs/api/errors.md explains each. */
export const logErrorCodes = {
  /** One line of a batch (named in `rejected`, the rest stored): not JSON, not an object, or a field it cannot be stored with. */
  lineInvalid: 'OBSERVABILITY_LOG_LINE_INVALID',
  /** One line over LOG_LINE_MAX_BYTES (named in `rejected`, the rest stored). */
  lineTooLarge: 'OBSERVABILITY_LOG_LINE_TOO_LARGE',
  /** A batch with more lines or bytes than LOG_BATCH_MAX_LINES / LOG_BATCH_MAX_BYTES. */
  batchTooLarge: 'OBSERVABILITY_LOG_BATCH_TOO_LARGE',
  /** A body with no line at all. */
  batchEmpty: 'OBSERVABILITY_LOG_BATCH_EMPTY',
  /** Too many batches being written or waiting: nothing was stored, send again after Retry-After. */
  overloaded: 'OBSERVABILITY_LOGS_OVERLOADED',
  /** A search filter that names no level, no instant, or an empty range. */
  filterInvalid: 'OBSERVABILITY_LOG_FILTER_INVALID',
  badCursor: 'OBSERVABILITY_LOG_INVALID_CURSOR',
  /** A token that may not read logs, or not those of the organisation it asks for. */
  readForbidden: 'OBSERVABILITY_LOGS_FORBIDDEN',
  /** The replica serves as many live tails as it may (or, for a tenant, as many as tenants share). */
  tooManyTails: 'OBSERVABILITY_LOG_TAILS_FULL',
  /** The caller's organisation holds LOG_STREAM_MAX_CLIENTS_PER_ORG live tails on this replica already. */
  tooManyOrgTails: 'OBSERVABILITY_LOG_TAILS_ORG_LIMIT',
} as const;
