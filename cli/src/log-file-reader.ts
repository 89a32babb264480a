import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { LogFilters, LogItem } from './logs-command.js';

const levelLabels: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Pino's levels, lowest first: `--level` takes one and means "this level and above". */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const levelOrder: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const namedFields = new Set(['level', 'time', 'service', 'msg', 'reqId', 'traceId', 'org']);

/** A line of a service's log file as an item like observability's; undefined when it is not a JSON object. */
export function logItemOf(line: string): LogItem | undefined {
  let entry: Record<string, unknown>;
  try {
    const parsed = JSON.parse(line) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    entry = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString() : String(entry.time ?? '');
  const level = typeof entry.level === 'number' ? (levelLabels[entry.level] ?? String(entry.level)) : String(entry.level ?? 'info');
  const fields = Object.fromEntries(Object.entries(entry).filter(([name]) => !namedFields.has(name)));
  const optional = (name: 'reqId' | 'traceId' | 'org') => (typeof entry[name] === 'string' ? { [name]: entry[name] as string } : {});
  return { time, service: String(entry.service ?? ''), level, msg: String(entry.msg ?? ''), ...optional('reqId'), ...optional('traceId'), ...optional('org'), fields };
}

/** The same filters observability applies: one service, this level and above, one request, from a time on. */
export function matches(item: LogItem, filters: LogFilters): boolean {
  if (filters.service && item.service !== filters.service) return false;
  if (filters.level && (levelOrder[item.level] ?? 0) < (levelOrder[filters.level] ?? 0)) return false;
  if (filters.requestId && item.reqId !== filters.requestId) return false;
  if (filters.from && !(Date.parse(item.time) >= Date.parse(filters.from))) return false;
  return true;
}

/** Every matching line of the files (each with its rotated `.1` before it), oldest first across services. */
export function readLogFiles(files: readonly string[], filters: LogFilters): LogItem[] {
  const items: LogItem[] = [];
  for (const file of files) {
    for (const path of [`${file}.1`, file]) {
      if (!existsSync(path)) continue;
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        const item = line === '' ? undefined : logItemOf(line);
        if (item && matches(item, filters)) items.push(item);
      }
    }
  }
  // A stable sort: lines of one service with the same millisecond keep their order.
  return items.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

interface TailPosition {
  inode: number | undefined;
  offset: number;
  partial: string;
}

/**
 * Follows the files as `tail -F` does, printing matching lines as they are appended, until
 * `signal` aborts: polled every 250 ms; a file rotated meanwhile (a new inode) has the rest of
 * the old one read from `<file>.1` first, then the new one from its start.
 */
export async function tailLogFiles(files: readonly string[], filters: LogFilters, print: (item: LogItem) => void, signal: AbortSignal | undefined, fromEnd: boolean, pollMs = 250): Promise<void> {
  const positions = new Map<string, TailPosition>(files.map((file) => [file, startPosition(file, fromEnd)]));
  const emit = (position: TailPosition, text: string) => {
    const lines = (position.partial + text).split('\n');
    position.partial = lines.pop() ?? '';
    for (const line of lines) {
      const item = line === '' ? undefined : logItemOf(line);
      if (item && matches(item, filters)) print(item);
    }
  };
  while (!signal?.aborted) {
    for (const [file, position] of positions) {
      const now = statOf(file);
      if (!now) continue;
      if (position.inode !== undefined && now.inode !== position.inode) {
        const rotated = statOf(`${file}.1`);
        if (rotated?.inode === position.inode) emit(position, readRange(`${file}.1`, position.offset, rotated.size));
        position.partial = '';
        position.offset = 0;
      } else if (now.size < position.offset) position.offset = 0;
      position.inode = now.inode;
      if (now.size > position.offset) {
        emit(position, readRange(file, position.offset, now.size));
        position.offset = now.size;
      }
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}

function startPosition(file: string, fromEnd: boolean): TailPosition {
  const now = statOf(file);
  return { inode: now?.inode, offset: fromEnd && now ? now.size : 0, partial: '' };
}

function statOf(path: string): { inode: number; size: number } | undefined {
  try {
    const stats = statSync(path);
    return { inode: stats.ino, size: stats.size };
  } catch {
    return undefined;
  }
}

function readRange(path: string, from: number, to: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, to - from));
    const read = readSync(fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
