import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { kitErrorCodes, LiftError, OverloadedError } from '../errors.js';
import { sendProblem, type Problem } from './problem-details.js';
import { describeValidationErrors } from './validation-errors.js';
import { isDatabaseOutage } from '../db/database-outage.js';

/**
 * One place that turns every failure into problem+json. Bad input is always a 4xx naming what
 * was wrong; anything else is a 500 whose detail reveals nothing and whose cause is logged.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError | LiftError | Error, request, reply) => {
    const problem = problemFor(error, bodyLimitBytes);
    if (error instanceof OverloadedError) request.log.warn({ code: problem.code, detail: problem.detail }, 'request refused');
    else if (problem.code === kitErrorCodes.databaseUnavailable) request.log.warn({ code: problem.code, err: error }, 'request refused: the database cannot be reached');
    else if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, detail: problem.detail }, 'request refused');
    return sendProblem(request, reply, problem);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(request, reply, {
      status: 404,
      code: kitErrorCodes.routeNotFound,
      title: 'Not found',
      detail: `There is no route ${request.method} ${request.url.split('?')[0]}; see /docs for this service's API.`,
    }),
  );
}

function problemFor(error: FastifyError | LiftError | Error, bodyLimitBytes: number): Problem {
  if (error instanceof LiftError) {
    return {
      status: error.status,
      code: error.code,
      title: error.title,
      detail: error.message,
      extensions: error.extensions,
      headers: error.headers,
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const { detail, errors } = describeValidationErrors(fastifyError.validation, fastifyError.validationContext);
    return { status: 400, code: kitErrorCodes.validationFailed, title: 'Invalid input', detail, extensions: { errors } };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: kitErrorCodes.bodyTooLarge,
        title: 'Payload too large',
        detail: `The request body is larger than the limit of ${bodyLimitBytes} bytes.`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: kitErrorCodes.unsupportedMediaType,
        title: 'Unsupported media type',
        detail: 'This content type is not accepted here; send the body as application/json.',
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: kitErrorCodes.malformedBody, title: 'Malformed body', detail: `${fastifyError.message}.` };
  }
  // The database down or restarting is a dependency outage the caller may retry, not a bug.
  if (isDatabaseOutage(error)) {
    return {
      status: 503,
      code: kitErrorCodes.databaseUnavailable,
      title: 'Service unavailable',
      detail: 'The service cannot reach its database right now; retry shortly.',
      headers: { 'retry-after': '2' },
    };
  }
  // secure-json-parse's SyntaxError and prototype-poisoning refusals arrive with a 400 status.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = error instanceof SyntaxError ? kitErrorCodes.malformedBody : kitErrorCodes.badRequest;
    return { status, code, title: 'Bad request', detail: error.message };
  }
  return {
    status: 500,
    code: kitErrorCodes.internal,
    title: 'Internal server error',
    detail: 'The service failed to handle this request; the request id identifies it in the logs.',
  };
}
