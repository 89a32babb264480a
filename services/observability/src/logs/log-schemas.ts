import { Type } from '@sinclair/typebox';
import { logLevelLabels } from './log-levels.js';

const closed = { additionalProperties: false } as const;
const Label = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

export const LogBatchJson = Type.Object(
  { items: Type.Array(Type.Unknown(), { description: 'log lines (each as an NDJSON line would be); bad ones are named in `rejected`, the rest stored' }) },
  { ...closed, description: 'The JSON form of a batch. Items are checked one by one (see LogLine), not by this schema' },
);

export const LogBatchNdjson = Type.String({ description: 'NDJSON: one pino line (a LogLine object) per line; CRLF endings and a leading BOM are taken, blank lines skipped' });

export const LogBatchAccepted = Type.Object({
  accepted: Type.Integer({ description: 'lines stored (durably, before this answer)' }),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'the line\'s place in the batch, from 0 (NDJSON: its line number, blank lines counted)' }),
      code: Type.String({ description: 'OBSERVABILITY_LOG_LINE_INVALID or OBSERVABILITY_LOG_LINE_TOO_LARGE' }),
      problem: Type.String(),
    }),
  ),
});

export const LogItemSchema = Type.Object(
  {
    id: Type.String(),
    time: Type.String({ format: 'date-time' }),
    service: Type.String(),
    level: Type.Union(logLevelLabels.map((label) => Type.Literal(label))),
    msg: Type.String(),
    reqId: Type.Optional(Type.String()),
    traceId: Type.Optional(Type.String()),
    org: Type.Optional(Type.String()),
    fields: Type.Record(Type.String(), Type.Unknown(), { description: 'the line\'s other fields (pid, hostname, version, err, …)' }),
  },
  { description: 'one log line, as stored' },
);

const filterProperties = {
  service: Type.Optional(Label('lines of this service only')),
  level: Type.Optional(Type.String({ maxLength: 16, description: `this level and above: ${logLevelLabels.join(', ')} or 10..60` })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'words that must all be in msg (letters and digits; anything else separates words and is never query syntax)' })),
  requestId: Type.Optional(Label('lines of this request (exact)')),
  traceId: Type.Optional(Label('lines of this trace (exact)')),
  org: Type.Optional(Label('lines of this organisation; a tenant\'s admin may name only its own')),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'lines at or after: ISO-8601 or epoch milliseconds' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'lines at or before: ISO-8601 or epoch milliseconds' })),
};

export const maxLogPage = 1_000;

export const LogSearchQuery = Type.Object(
  {
    ...filterProperties,
    limit: Type.Integer({ minimum: 1, maximum: maxLogPage, default: 100 }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page, unchanged' })),
  },
  closed,
);

export const LogStreamQuery = Type.Object(filterProperties, closed);

export const LogPage = Type.Object({
  items: Type.Array(LogItemSchema),
  nextCursor: Type.Optional(Type.String({ description: 'present when there may be older lines' })),
});
