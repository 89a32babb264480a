import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeValidationErrors } from '@lift/kit';

/** RFC 6749 §5.2 error codes, and RFC 8693's `invalid_target`. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope' | 'invalid_target';

/**
 * A refusal at an OAuth endpoint. These endpoints answer in RFC 6749's format
 * (`{"error": "...", "error_description": "..."}`) rather than problem+json, because that is what
 * OAuth client libraries parse; it is the one documented exception to the platform's errors.
 */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(error: OAuthErrorCode, description: string, options: { status?: number; headers?: Record<string, string> } = {}) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.status = options.status ?? (error === 'invalid_client' ? 401 : 400);
    this.headers = options.headers ?? {};
  }
}

/** Token answers, errors included, must never be stored by a cache (RFC 6749 §5.1). */
export const noStoreHeaders = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/** A client that failed to authenticate is told which scheme to use (RFC 6749 §5.2). */
export function invalidClient(description: string): OAuthError {
  return new OAuthError('invalid_client', description, { headers: { 'www-authenticate': 'Basic realm="lift", charset="UTF-8"' } });
}

/**
 * The error handler of the OAuth routes: every refusal, including the framework's own (schema
 * validation, a body that is not a form, a body too large), becomes an RFC 6749 error; anything
 * unexpected is a `server_error` whose cause is logged, never shown. It sends and returns nothing:
 * a route's error handler is typed to return void, and the reply it would return is a thenable.
 */
export function oauthErrorHandler(error: FastifyError | OAuthError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const refusal = asOAuthError(error);
  if (refusal) {
    request.log.info({ error: refusal.error, detail: refusal.message }, 'token request refused');
    void reply.code(refusal.status).headers({ ...noStoreHeaders, ...refusal.headers }).type('application/json; charset=utf-8').send({ error: refusal.error, error_description: refusal.message });
    return;
  }
  request.log.error({ err: error }, 'token request failed');
  void reply
    .code(500)
    .headers(noStoreHeaders)
    .type('application/json; charset=utf-8')
    .send({ error: 'server_error', error_description: 'The authorization server failed to handle this request; the request id identifies it in the logs.' });
}

function asOAuthError(error: FastifyError | OAuthError | Error): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const { errors } = describeValidationErrors(fastifyError.validation, fastifyError.validationContext);
    const detail = errors.map((entry) => `${entry.field.replace(/^body\./, '')} ${entry.message}`).join('; ');
    return new OAuthError('invalid_request', `The token request is malformed: ${detail}.`);
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return formRequired();
    return new OAuthError('invalid_request', `The token request is malformed: ${fastifyError.message}.`);
  }
  return undefined;
}

/** RFC 6749 §3.2: token requests are `application/x-www-form-urlencoded`. */
export function formRequired(): OAuthError {
  return new OAuthError('invalid_request', 'Send the token request as application/x-www-form-urlencoded (RFC 6749 §3.2).');
}
