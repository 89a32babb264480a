import { hasPermission, identityOf, LiftError, OverloadedError, requestIdHeader, type ServiceApp } from '@lift/kit';
import type { FastifyRequest } from 'fastify';
import { logErrorCodes } from './log-errors.js';
import { decodeLogCursor, encodeLogCursor, logFilters, logItem, visibleOrganisation, type LogFilterInput } from './log-search.js';
import { LogPage, LogSearchQuery, LogStreamQuery } from './log-schemas.js';
import type { LogStore } from '../store/log-store.js';
import type { LogTail, TailRefusal } from './log-tail.js';

const tags = ['logs'];
const security = [{ bearerAuth: [] }];
const filterProblems = {
  400: 'A filter that names no level, a date that is not ISO-8601 or epoch milliseconds, from after to, q without a word, or a NUL character in service, requestId, traceId or org (OBSERVABILITY_LOG_FILTER_INVALID, `field` names it)',
  403: 'A module\'s delegated token, a token with neither observability:read nor org:admin, or a tenant\'s admin naming another organisation in org (OBSERVABILITY_LOGS_FORBIDDEN)',
};

const tailRetryAfterSeconds = 5;

/** A tail the replica will not open, as the answer says it (a limit it keeps on purpose: logged as a refusal). */
function tailRefused(refusal: TailRefusal): LiftError {
  if (refusal === 'organisation') {
    return new LiftError(429, logErrorCodes.tooManyOrgTails, 'Too many requests', 'Your organisation holds as many live tails on this replica as it may (LOG_STREAM_MAX_CLIENTS_PER_ORG); close one, or search instead.', {
      headers: { 'retry-after': String(tailRetryAfterSeconds) },
    });
  }
  const detail = refusal === 'tenants' ? 'The live tails organisations may open on this replica are taken (the rest are kept for the platform); try again later or search instead.' : 'This replica serves as many live tails as it may; try again later or search instead.';
  return new OverloadedError(logErrorCodes.tooManyTails, detail, tailRetryAfterSeconds);
}

/** The filters of a request, checked, with the caller's visibility applied. */
function filtersOf(request: FastifyRequest, query: LogFilterInput) {
  return logFilters(query, visibleOrganisation(identityOf(request), query.org));
}

/** GET /v1/logs (search, newest first, cursor-paginated) and GET /v1/logs/stream (live tail). */
export async function logReadRoutes(app: ServiceApp, store: LogStore, tail: LogTail): Promise<void> {
  app.get(
    '/v1/logs',
    {
      preHandler: app.requireIdentity,
      schema: {
        operationId: 'searchLogs',
        tags,
        security,
        summary: 'Log lines, newest first, filtered and paged: the platform sees all, an organisation\'s admin its own',
        problems: { ...filterProblems, 400: `${filterProblems[400]}, or a cursor this list did not give out (OBSERVABILITY_LOG_INVALID_CURSOR)` },
        querystring: LogSearchQuery,
        response: { 200: LogPage },
      },
    },
    async (request) => {
      const filters = filtersOf(request, request.query);
      const after = request.query.cursor === undefined ? undefined : decodeLogCursor(request.query.cursor);
      const limit = request.query.limit;
      const lines = await store.search({ ...filters, after, limit: limit + 1 });
      const page = lines.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(logItem), ...(lines.length > limit && last ? { nextCursor: encodeLogCursor(last) } : {}) };
    },
  );

  app.get(
    '/v1/logs/stream',
    {
      preHandler: app.requireIdentity,
      // An open tail is not a slow answer: counted in http_requests_total, not timed (the answer is
      // hijacked and written raw, so the kit cannot see its text/event-stream type).
      config: { longLived: true },
      schema: {
        operationId: 'tailLogs',
        tags,
        security,
        summary: 'Live tail (server-sent events): `event: log` with a line as `data`, for each matching line committed on any replica from now on; comment lines as heartbeats',
        problems: {
          ...filterProblems,
          429: 'A tenant\'s organisation holds LOG_STREAM_MAX_CLIENTS_PER_ORG tails on this replica already (OBSERVABILITY_LOG_TAILS_ORG_LIMIT)',
          503: 'The replica serves as many live tails as it may, or (for a tenant) the tenants\' share of them (OBSERVABILITY_LOG_TAILS_FULL)',
        },
        querystring: LogStreamQuery,
        response: { 200: { description: 'text/event-stream until the client or the service closes it', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const filters = filtersOf(request, request.query);
      // A platform reader is counted against the replica only; a tenant's admin against its organisation and the tenants' share too.
      const tenant = hasPermission(identityOf(request), 'observability:read') ? undefined : identityOf(request).organisation;
      const refusal = tail.refusal(tenant);
      if (refusal !== undefined) throw tailRefused(refusal);
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and its kind buffer a response unless told not to.
        'x-accel-buffering': 'no',
        [requestIdHeader]: request.id,
      });
      reply.raw.write(': connected\n\n');
      tail.add(reply.raw, filters, tenant);
    },
  );
}
