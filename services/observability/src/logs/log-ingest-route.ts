import type { FastifyRequest } from 'fastify';
import { LiftError, InvalidInputError, OverloadedError, type ServiceApp } from '@lift/kit';
import type { ObservabilityConfig } from '../config.js';
import { parseItems, parseNdjson, type ParsedBatch } from './log-batch.js';
import { logErrorCodes } from './log-errors.js';
import type { Admission, IngestionGate } from './ingestion-gate.js';
import { bodyEncodingOf, checkIngestMediaType, countedBody } from './ingest-body.js';
import { LogBatchAccepted, LogBatchJson, LogBatchNdjson } from './log-schemas.js';
import type { LogStore } from '../store/log-store.js';
import type { LogTail } from './log-tail.js';
import type { Logger, Clock } from '@lift/kit';

export interface LogIngestion {
  readonly config: ObservabilityConfig;
  readonly store: LogStore;
  readonly gate: IngestionGate;
  readonly tail: LogTail;
  readonly clock: Clock;
  readonly log: Logger;
}

const ndjson = 'application/x-ndjson';
const retryAfterSeconds = 1;

const tooLarge = (detail: string, limit: string) => new LiftError(413, logErrorCodes.batchTooLarge, 'Payload too large', detail, { extensions: { limit } });
const overloaded = () =>
  new OverloadedError(logErrorCodes.overloaded, `Too many log batches are being received or written; nothing of this one was stored. Send it again in ${retryAfterSeconds} s.`, retryAfterSeconds);

/** POST /v1/logs: a batch of lines, NDJSON or `{ items }`, answered 202 once committed. */
export async function logIngestRoute(app: ServiceApp, ingestion: LogIngestion): Promise<void> {
  const { config } = ingestion;
  const maxBytes = config.LOG_BATCH_MAX_BYTES;
  const bytesLimit = () => tooLarge(`The batch is larger than the limit of ${maxBytes} bytes (LOG_BATCH_MAX_BYTES); send it in smaller batches.`, 'LOG_BATCH_MAX_BYTES');
  const linesLimit = () => tooLarge(`The batch has more than ${config.LOG_BATCH_MAX_LINES} lines (LOG_BATCH_MAX_LINES); send it in smaller batches.`, 'LOG_BATCH_MAX_LINES');

  const requireIngest = app.requirePermission('observability:ingest');
  const admissions = new WeakMap<FastifyRequest, Admission>();

  app.addContentTypeParser(ndjson, { parseAs: 'string', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/logs',
    {
      bodyLimit: maxBytes,
      preHandler: requireIngest,
      // Before the body is read: an unknown caller, a type or encoding not taken, an announced
      // oversized body or a replica at its budget is refused at once, so none of them costs memory.
      preParsing: async (request, reply, payload) => {
        // The permission first (the preHandler checks it again, cheaply): an anonymous client takes no slot.
        await requireIngest.call(app, request, reply);
        checkIngestMediaType(request.headers['content-type']);
        const encoding = bodyEncodingOf(request.headers['content-encoding']);
        const announced = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']);
        if (encoding === 'identity' && announced !== undefined && announced > maxBytes) throw bytesLimit();
        const reserved = encoding === 'identity' && announced !== undefined;
        const admission = ingestion.gate.admit(reserved ? announced : 0);
        if (admission === undefined) throw overloaded();
        admissions.set(request, admission);
        // Counted until the answer is sent or the connection drops, whichever comes first.
        reply.raw.once('close', admission.release);
        reply.raw.once('finish', admission.release);
        return countedBody(payload, encoding, admission, reserved, { maxBytes, tooLarge: bytesLimit, overloaded });
      },
      onResponse: async (request) => admissions.get(request)?.release(),
      schema: {
        operationId: 'ingestLogs',
        tags: ['logs'],
        security: [{ bearerAuth: [] }],
        summary: 'Store a batch of log lines (pino NDJSON or JSON items); 202 once they are committed',
        problems: {
          400: 'The body is not NDJSON or JSON (REQUEST_MALFORMED_BODY), has no line (OBSERVABILITY_LOG_BATCH_EMPTY), or its JSON form is not { items: [...] } (REQUEST_VALIDATION_FAILED); a bad line alone is named in `rejected` and the rest stored',
          413: 'More lines than LOG_BATCH_MAX_LINES or bytes than LOG_BATCH_MAX_BYTES (OBSERVABILITY_LOG_BATCH_TOO_LARGE, `limit` names which); nothing stored',
          415: 'The body is neither application/x-ndjson nor application/json, or its Content-Encoding is neither gzip nor identity (REQUEST_UNSUPPORTED_MEDIA_TYPE)',
          503: 'Too many batches, or body bytes, being received, parsed or written (OBSERVABILITY_LOGS_OVERLOADED): nothing stored; send again after Retry-After seconds',
        },
        body: { content: { [ndjson]: { schema: LogBatchNdjson }, 'application/json': { schema: LogBatchJson } } },
        response: { 202: LogBatchAccepted },
      },
    },
    async (request, reply) => {
      const receivedAt = ingestion.clock.now();
      const limits = { maxLineBytes: config.LOG_LINE_MAX_BYTES, maxLines: config.LOG_BATCH_MAX_LINES };
      let batch: ParsedBatch;
      if (typeof request.body === 'string') {
        batch = parseNdjson(request.body, receivedAt, limits);
      } else {
        const { items } = request.body as { items: unknown[] };
        if (items.length > config.LOG_BATCH_MAX_LINES) throw linesLimit();
        batch = parseItems(items, receivedAt, limits);
      }
      if (batch.overLimit) throw linesLimit();
      if (batch.lines.length + batch.rejected.length === 0) throw new InvalidInputError(logErrorCodes.batchEmpty, 'The batch has no log line: send one JSON object per line (NDJSON) or { "items": [...] }.', { field: 'body' });
      if (batch.lines.length > 0) {
        const release = await ingestion.gate.write();
        try {
          await ingestion.store.prepare();
          const stored = await ingestion.store.transaction((queries) => queries.insert(batch.lines));
          // After the commit; a tail that misses lines (Redis down) never fails the batch.
          ingestion.tail.publish(stored).catch((error: unknown) => ingestion.log.warn({ err: error }, 'committed log lines could not be published to live tails'));
        } finally {
          release();
        }
      }
      reply.code(202);
      return { accepted: batch.lines.length, rejected: batch.rejected };
    },
  );
}
