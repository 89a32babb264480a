import { logErrorCodes } from './log-errors.js';
import { parseIsoTime } from './iso-time.js';
import { levelNumber } from './log-levels.js';

/** A log line as stored: its own columns, the rest of its fields as JSON text. */
export interface LogLine {
  readonly timeMs: number;
  readonly service: string;
  readonly level: number;
  readonly msg: string;
  readonly reqId: string | null;
  readonly traceId: string | null;
  readonly org: string | null;
  readonly fields: string;
}

/** A line of a batch that was not stored, and why. */
export interface RejectedLine {
  /** Its place in the batch: the 0-based line of an NDJSON body (blank lines count), or the index in `items`. */
  readonly index: number;
  readonly code: string;
  readonly problem: string;
}

/** Fields that have columns of their own; every other field of a line is kept in `fields`. */
const columns = new Set(['level', 'time', 'service', 'msg', 'reqId', 'traceId', 'org']);
const maxFieldDepth = 20;
const maxLabelLength = 256;
const servicePattern = /^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,63}$/;
const earliest = Date.parse('2000-01-01T00:00:00Z');
/** How far ahead of this service's clock a producer's clock may be. */
const futureSlackMs = 24 * 3_600_000;

export type LineOutcome = { readonly line: LogLine } | { readonly code: string; readonly problem: string };

const invalid = (problem: string): LineOutcome => ({ code: logErrorCodes.lineInvalid, problem });

/**
 * One parsed line as it will be stored, or why it cannot be. pino's shape: `level` a number
 * (10..60) or a label, `time` epoch milliseconds or ISO-8601 (the receiving time when absent),
 * `service` required. NUL characters, which PostgreSQL text cannot hold, become U+FFFD in `msg`.
 */
export function normaliseLine(value: unknown, receivedAtMs: number): LineOutcome {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('a log line is a JSON object');
  const record = value as Record<string, unknown>;
  const service = record.service;
  if (typeof service !== 'string' || !servicePattern.test(service)) return invalid('service is required: 1–64 letters, digits and _ . : @ / -');
  const level = record.level === undefined ? 30 : levelNumber(record.level);
  if (level === undefined) return invalid('level must be a number from 10 to 60 or one of trace, debug, info, warn, error, fatal');
  const timeMs = timeOf(record.time, receivedAtMs);
  if (typeof timeMs === 'string') return invalid(timeMs);
  const msg = record.msg === undefined || record.msg === null ? '' : typeof record.msg === 'string' || (typeof record.msg === 'number' && Number.isFinite(record.msg)) || typeof record.msg === 'boolean' ? String(record.msg) : undefined;
  if (msg === undefined) return invalid('msg must be a string (or a finite number)');
  const reqId = labelOf(record.reqId);
  const traceId = labelOf(record.traceId);
  const org = labelOf(record.org);
  for (const [name, label] of [['reqId', reqId], ['traceId', traceId], ['org', org]] as const) {
    if (label === false) return invalid(`${name} must be a string of at most ${maxLabelLength} characters without NUL (or a finite number)`);
  }
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (!columns.has(key)) rest[key] = record[key];
  if (deeperThan(rest, maxFieldDepth)) return invalid(`fields are nested deeper than ${maxFieldDepth} levels`);
  return {
    line: {
      timeMs,
      service,
      level,
      msg: msg.includes('\u0000') ? msg.replaceAll('\u0000', '\uFFFD') : msg,
      reqId: reqId as string | null,
      traceId: traceId as string | null,
      org: org as string | null,
      fields: JSON.stringify(rest),
    },
  };
}

function timeOf(time: unknown, receivedAtMs: number): number | string {
  let ms: number;
  if (time === undefined || time === null) ms = receivedAtMs;
  else if (typeof time === 'number') ms = Math.trunc(time);
  else if (typeof time === 'string') ms = parseIsoTime(time);
  else return 'time must be epoch milliseconds or an ISO-8601 timestamp';
  if (Number.isNaN(ms)) return 'time must be epoch milliseconds or an ISO-8601 timestamp';
  if (!Number.isFinite(ms) || ms < earliest || ms > receivedAtMs + futureSlackMs) return 'time must be after 2000-01-01 and at most a day ahead of the service\'s clock';
  return ms;
}

/** A string (or a finite number, as text) without NUL; null when absent; false when unusable (1e400 parses as Infinity: refused, not stored as "Infinity"). */
function labelOf(value: unknown): string | null | false {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return false;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || text.length > maxLabelLength || text.includes('\u0000')) return false;
  return text;
}

/** Without recursion: a hostile line must not overflow the stack. */
function deeperThan(root: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[root, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}
