import { Transform } from 'node:stream';
import { LiftError, InvalidInputError, type ServiceApp } from '@lift/kit';
import type { ObservabilityConfig } from '../config.js';
import { parseItems, parseNdjson, type ParsedBatch } from './log-batch.js';
import { logErrorCodes } from './log-errors.js';
import type { IngestionGate } from './ingestion-gate.js';
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
  new LiftError(503, logErrorCodes.overloaded, 'Service unavailable', `Too many log batches are being written; nothing of this one was stored. Send it again in ${retryAfterSeconds} s.`, { headers: { 'retry-after': String(retryAfterSeconds) } });

/** POST /v1/logs: a batch of lines, NDJSON or `{ items }`, answered 202 once committed. */
export async function logIngestRoute(app: ServiceApp, ingestion: LogIngestion): Promise<void> {
  const { config } = ingestion;
  const maxBytes = config.LOG_BATCH_MAX_BYTES;
  const bytesLimit = () => tooLarge(`The batch is larger than the limit of ${maxBytes} bytes (LOG_BATCH_MAX_BYTES); send it in smaller batches.`, 'LOG_BATCH_MAX_BYTES');
  const linesLimit = () => tooLarge(`The batch has more than ${config.LOG_BATCH_MAX_LINES} lines (LOG_BATCH_MAX_LINES); send it in smaller batches.`, 'LOG_BATCH_MAX_LINES');

  app.addContentTypeParser(ndjson, { parseAs: 'string', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/logs',
    {
      bodyLimit: maxBytes,
      preHandler: app.requirePermission('observability:ingest'),
      // Before the body is read: an overloaded replica or an announced oversized body is refused at once.
      preParsing: async (request, _reply, payload) => {
        if (ingestion.gate.full) throw overloaded();
        if (Number(request.headers['content-length'] ?? 0) > maxBytes) throw bytesLimit();
        let received = 0;
        // A chunked body has no length to check first: counted as it arrives.
        return payload.pipe(
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              received += chunk.length;
              callback(received > maxBytes ? bytesLimit() : null, chunk);
            },
          }),
        );
      },
      schema: {
        operationId: 'ingestLogs',
        tags: ['logs'],
        security: [{ bearerAuth: [] }],
        summary: 'Store a batch of log lines (pino NDJSON or JSON items); 202 once they are committed',
        problems: {
          400: 'The body is not NDJSON or JSON (REQUEST_MALFORMED_BODY), has no line (OBSERVABILITY_LOG_BATCH_EMPTY), or its JSON form is not { items: [...] } (REQUEST_VALIDATION_FAILED); a bad line alone is named in `rejected` and the rest stored',
          413: 'More lines than LOG_BATCH_MAX_LINES or bytes than LOG_BATCH_MAX_BYTES (OBSERVABILITY_LOG_BATCH_TOO_LARGE, `limit` names which); nothing stored',
          415: 'The body is neither application/x-ndjson nor application/json (REQUEST_UNSUPPORTED_MEDIA_TYPE)',
          503: 'Too many batches being written or waiting (OBSERVABILITY_LOGS_OVERLOADED): nothing stored; send again after Retry-After seconds',
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
        const entered = ingestion.gate.enter();
        if (entered === undefined) throw overloaded();
        const release = await entered;
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
