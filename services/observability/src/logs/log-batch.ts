import { logErrorCodes } from './log-errors.js';
import { normaliseLine, type LogLine, type RejectedLine } from './log-line.js';

export interface ParsedBatch {
  readonly lines: LogLine[];
  readonly rejected: RejectedLine[];
  /** More lines than `maxLines`: parsing stopped there, and the batch must be refused whole. */
  readonly overLimit?: boolean;
}

export interface BatchLimits {
  readonly maxLineBytes: number;
  readonly maxLines: number;
}

/**
 * An NDJSON body, line by line: a BOM is dropped, CRLF endings are taken, blank lines are skipped
 * (but keep their place in the numbering, so `index` is the producer's line number from 0).
 */
export function parseNdjson(body: string, receivedAtMs: number, limits: BatchLimits): ParsedBatch {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const lines: LogLine[] = [];
  const rejected: RejectedLine[] = [];
  const rows = text.split('\n');
  for (let index = 0; index < rows.length; index += 1) {
    let row = rows[index] as string;
    if (row.endsWith('\r')) row = row.slice(0, -1);
    if (row.trim() === '') continue;
    if (lines.length + rejected.length >= limits.maxLines) return { lines, rejected, overLimit: true };
    // A UTF-8 byte is at least a third of a character's UTF-16 length: only long rows are measured.
    if (row.length * 3 > limits.maxLineBytes && Buffer.byteLength(row) > limits.maxLineBytes) {
      rejected.push({ index, code: logErrorCodes.lineTooLarge, problem: `the line is longer than the limit of ${limits.maxLineBytes} bytes (LOG_LINE_MAX_BYTES)` });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch {
      rejected.push({ index, code: logErrorCodes.lineInvalid, problem: 'the line is not JSON' });
      continue;
    }
    note(normaliseLine(value, receivedAtMs), index, lines, rejected);
  }
  return { lines, rejected };
}

/** `{ items: [...] }`: each item as one line; its size is measured as stored. */
export function parseItems(items: readonly unknown[], receivedAtMs: number, limits: BatchLimits): ParsedBatch {
  const lines: LogLine[] = [];
  const rejected: RejectedLine[] = [];
  items.forEach((item, index) => {
    const outcome = normaliseLine(item, receivedAtMs);
    if ('line' in outcome && Buffer.byteLength(outcome.line.msg) + Buffer.byteLength(outcome.line.fields) > limits.maxLineBytes) {
      rejected.push({ index, code: logErrorCodes.lineTooLarge, problem: `the line is longer than the limit of ${limits.maxLineBytes} bytes (LOG_LINE_MAX_BYTES)` });
      return;
    }
    note(outcome, index, lines, rejected);
  });
  return { lines, rejected };
}

function note(outcome: ReturnType<typeof normaliseLine>, index: number, lines: LogLine[], rejected: RejectedLine[]): void {
  if ('line' in outcome) lines.push(outcome.line);
  else rejected.push({ index, code: outcome.code, problem: outcome.problem });
}
