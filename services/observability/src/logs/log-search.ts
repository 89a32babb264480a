import { ForbiddenError, hasPermission, InvalidInputError, type Identity } from '@lift/kit';
import { parseIsoTime } from './iso-time.js';
import { logErrorCodes } from './log-errors.js';
import { levelLabel, levelNumber, type LogLevelLabel } from './log-levels.js';
import type { LogPosition, LogQuery, StoredLogLine } from '../store/log-store.js';

/** The filters of GET /v1/logs and /v1/logs/stream, as the query string gives them. */
export interface LogFilterInput {
  readonly service?: string | undefined;
  readonly level?: string | undefined;
  readonly q?: string | undefined;
  readonly requestId?: string | undefined;
  readonly traceId?: string | undefined;
  readonly org?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** A log line in an answer (and in a live tail's `data`). */
export interface LogItem {
  id: string;
  time: string;
  service: string;
  level: LogLevelLabel;
  msg: string;
  reqId?: string;
  traceId?: string;
  org?: string;
  fields: Record<string, unknown>;
}

export type LogFilters = Omit<LogQuery, 'after' | 'limit'>;

const maxWords = 16;
const refuse = (field: string, detail: string) => new InvalidInputError(logErrorCodes.filterInvalid, detail, { field: `querystring.${field}` });

/**
 * The words of a text query: runs of letters and digits, lower-cased, as both full-text indexes cut
 * `msg`. Everything else — quotes, `*`, `-`, parentheses, NEAR — is a separator, never syntax.
 */
export function queryWords(text: string): string[] {
  return [...new Set((text.match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => word.toLowerCase()))];
}

/**
 * Who may read which lines: the platform (`observability:read`) all of them, or those of one
 * organisation when it asks with `org`; a tenant's `org:admin` only its own organisation's
 * (asking for another's is a 403); a module's delegated token none.
 */
export function visibleOrganisation(identity: Identity, requested: string | undefined): string | undefined {
  if (identity.actor !== undefined) throw new ForbiddenError(logErrorCodes.readForbidden, 'A module\'s delegated token reads no logs; a person of the organisation reads them.');
  if (hasPermission(identity, 'observability:read')) return requested;
  if (!hasPermission(identity, 'org:admin')) throw new ForbiddenError(logErrorCodes.readForbidden, 'Reading logs needs observability:read, or org:admin for your own organisation\'s lines.');
  if (requested !== undefined && requested !== identity.organisation) {
    throw new ForbiddenError(logErrorCodes.readForbidden, 'An organisation\'s admin reads only its own organisation\'s lines: leave org out, or name your own.', { extensions: { field: 'querystring.org' } });
  }
  return identity.organisation;
}

/** The filters checked: an unknown level, a date that is none, an empty range, a query without words or a NUL in a label is a 400 naming its field. */
export function logFilters(input: LogFilterInput, org: string | undefined): LogFilters {
  // No stored label holds NUL (ingestion refuses it), and PostgreSQL text cannot be compared with one.
  for (const field of ['service', 'requestId', 'traceId', 'org'] as const) {
    if (input[field]?.includes('\u0000')) throw refuse(field, `${field} has a NUL character, which no log line's ${field} holds.`);
  }
  let minLevel: number | undefined;
  if (input.level !== undefined) {
    minLevel = levelNumber(/^\d+$/.test(input.level) ? Number(input.level) : input.level);
    if (minLevel === undefined) throw refuse('level', 'level is one of trace, debug, info, warn, error, fatal, or a number from 10 to 60.');
  }
  const fromMs = instant(input.from, 'from');
  const toMs = instant(input.to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw refuse('from', 'from is after to: the range is empty.');
  let words: string[] = [];
  if (input.q !== undefined) {
    words = queryWords(input.q);
    if (words.length === 0) throw refuse('q', 'q has no word to search for (letters or digits); punctuation is not query syntax here.');
    if (words.length > maxWords) throw refuse('q', `q has more than ${maxWords} words.`);
  }
  return { service: input.service, minLevel, words, reqId: input.requestId, traceId: input.traceId, org, fromMs, toMs };
}

function instant(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : parseIsoTime(value);
  if (Number.isNaN(ms)) throw refuse(field, `${field} is an ISO-8601 timestamp (2026-11-28T09:00:00Z) or epoch milliseconds.`);
  return ms;
}

/** Whether a line passes the filters: the live tail's test, the same as the search's. */
export function lineMatches(line: StoredLogLine, filters: LogFilters): boolean {
  if (filters.service !== undefined && line.service !== filters.service) return false;
  if (filters.minLevel !== undefined && line.level < filters.minLevel) return false;
  if (filters.reqId !== undefined && line.reqId !== filters.reqId) return false;
  if (filters.traceId !== undefined && line.traceId !== filters.traceId) return false;
  if (filters.org !== undefined && line.org !== filters.org) return false;
  if (filters.fromMs !== undefined && line.timeMs < filters.fromMs) return false;
  if (filters.toMs !== undefined && line.timeMs > filters.toMs) return false;
  if (filters.words.length > 0) {
    const words = new Set(queryWords(line.msg));
    if (!filters.words.every((word) => words.has(word))) return false;
  }
  return true;
}

export function logItem(line: StoredLogLine): LogItem {
  return {
    id: String(line.id),
    time: new Date(line.timeMs).toISOString(),
    service: line.service,
    level: levelLabel(line.level),
    msg: line.msg,
    ...(line.reqId === null ? {} : { reqId: line.reqId }),
    ...(line.traceId === null ? {} : { traceId: line.traceId }),
    ...(line.org === null ? {} : { org: line.org }),
    fields: JSON.parse(line.fields) as Record<string, unknown>,
  };
}

/** An opaque cursor: the last line's (time, id), base64url JSON. */
export function encodeLogCursor(position: LogPosition): string {
  return Buffer.from(JSON.stringify([position.timeMs, position.id])).toString('base64url');
}

export function decodeLogCursor(cursor: string): LogPosition {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Exactly the two numbers encodeLogCursor writes: [1, 2, 3] or { "0": 1, "1": 2 } are not cursors.
    if (Array.isArray(position) && position.length === 2) {
      const [timeMs, id] = position as unknown[];
      if (Number.isSafeInteger(timeMs) && Number.isSafeInteger(id)) return { timeMs: timeMs as number, id: id as number };
    }
  } catch {
    // Falls through to the same answer as a well-formed but wrong cursor.
  }
  throw new InvalidInputError(logErrorCodes.badCursor, 'The cursor is not one this list gave out; pass nextCursor from the previous page unchanged.', { field: 'querystring.cursor' });
}
