/**
 * Semantic errors that domain code throws. The kit's error handler turns each into an
 * RFC 9457 problem+json answer; the code is stable and machine-readable, the detail tells the
 * caller how to fix the request.
 */
export interface LiftErrorOptions {
  /** Extra members of the problem document (RFC 9457 "extension members"). */
  readonly extensions?: Record<string, unknown>;
  readonly cause?: unknown;
  /** Headers the answer must carry (Retry-After, WWW-Authenticate …). */
  readonly headers?: Record<string, string>;
}

export class LiftError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, title: string, detail: string, options: LiftErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.title = title;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

export class InvalidInputError extends LiftError {
  constructor(code: string, detail: string, options: LiftErrorOptions & { field?: string } = {}) {
    const extensions = options.field === undefined ? options.extensions : { field: options.field, ...options.extensions };
    super(400, code, 'Invalid input', detail, { ...options, extensions });
  }
}

export class UnauthorizedError extends LiftError {
  constructor(code: string, detail: string, options: LiftErrorOptions = {}) {
    super(401, code, 'Unauthorized', detail, options);
  }
}

export class ForbiddenError extends LiftError {
  constructor(code: string, detail: string, options: LiftErrorOptions = {}) {
    super(403, code, 'Forbidden', detail, options);
  }
}

export class NotFoundError extends LiftError {
  constructor(code: string, detail: string, options: LiftErrorOptions = {}) {
    super(404, code, 'Not found', detail, options);
  }
}

export class ConflictError extends LiftError {
  constructor(code: string, detail: string, options: LiftErrorOptions = {}) {
    super(409, code, 'Conflict', detail, options);
  }
}

export class DependencyUnavailableError extends LiftError {
  constructor(code: string, detail: string, options: LiftErrorOptions = {}) {
    super(503, code, 'Service unavailable', detail, options);
  }
}

/**
 * A refusal the service means to give when it is at a limit it keeps on purpose (too many batches,
 * streams, connections): 503 with Retry-After. Logged as a refusal, not as a failure — unlike
 * DependencyUnavailableError, nothing is broken.
 */
export class OverloadedError extends LiftError {
  constructor(code: string, detail: string, retryAfterSeconds: number, options: LiftErrorOptions = {}) {
    super(503, code, 'Service unavailable', detail, { ...options, headers: { 'retry-after': String(retryAfterSeconds), ...options.headers } });
  }
}

/**
 * The kit's own stable codes: request-level failures every service shares. Service packages
 * keep their own tables with their prefix (AUTH_, BILLING_, …).
 */
export const kitErrorCodes = {
  validationFailed: 'REQUEST_VALIDATION_FAILED',
  malformedBody: 'REQUEST_MALFORMED_BODY',
  bodyTooLarge: 'REQUEST_BODY_TOO_LARGE',
  unsupportedMediaType: 'REQUEST_UNSUPPORTED_MEDIA_TYPE',
  badRequest: 'REQUEST_INVALID',
  badUrl: 'REQUEST_BAD_URL',
  uriTooLong: 'REQUEST_URI_TOO_LONG',
  malformedRequest: 'REQUEST_MALFORMED',
  headersTooLarge: 'REQUEST_HEADERS_TOO_LARGE',
  requestTimeout: 'REQUEST_TIMEOUT',
  routeNotFound: 'ROUTE_NOT_FOUND',
  shuttingDown: 'SERVICE_SHUTTING_DOWN',
  databaseUnavailable: 'DATABASE_UNAVAILABLE',
  notReady: 'SERVICE_NOT_READY',
  internal: 'INTERNAL_ERROR',
} as const;
