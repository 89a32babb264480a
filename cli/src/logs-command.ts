import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { installationSettings } from './installation-settings.js';
import { readLogFiles, tailLogFiles } from './log-file-reader.js';
import { formatLogLine } from './log-line-format.js';
import { serviceLogFile } from './log-files.js';

/** One log line as observability's `GET /v1/logs` answers it (and as `lift logs` reads a file line into). */
export interface LogItem {
  readonly id?: string;
  readonly time: string;
  readonly service: string;
  readonly level: string;
  readonly msg: string;
  readonly reqId?: string;
  readonly traceId?: string;
  readonly org?: string;
  readonly fields?: Record<string, unknown>;
}

export interface LogFilters {
  readonly service?: string;
  readonly level?: string;
  readonly requestId?: string;
  /** ISO time: lines at or after it. */
  readonly from?: string;
}

export interface LogsOptions {
  readonly home: string;
  readonly filters: LogFilters;
  readonly follow: boolean;
  readonly json: boolean;
  readonly limit: number;
  readonly env: NodeJS.ProcessEnv;
  readonly out: Writable;
  readonly err: Writable;
  /** Ends --follow (Ctrl-C in the terminal; the end of a test). */
  readonly signal?: AbortSignal;
}

/**
 * `lift logs`: asks observability straight on its own port (OBSERVABILITY_SERVICE_URL, or
 * 127.0.0.1:8004) — not through the gateway, so it still works when the gateway is what is broken
 * or not run — with LIFT_TOKEN, or the development admin's login at auth. When observability is
 * down or refuses, the same filters are applied to the log files `lift up` writes, and stderr
 * says so.
 */
export async function logsCommand(options: LogsOptions): Promise<number> {
  const settings = installationSettings(options.home, options.env);
  const observabilityUrl = (settings.OBSERVABILITY_SERVICE_URL ?? 'http://127.0.0.1:8004').replace(/\/$/, '');
  const printer = linePrinter(options);
  let token: string | undefined;
  let unavailable: string;
  try {
    token = await accessToken(settings);
    const answer = await fetch(`${observabilityUrl}/v1/logs?${query(options.filters, options.limit)}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(5_000) });
    if (answer.status === 200) {
      const body = (await answer.json()) as { items: LogItem[]; nextCursor?: string };
      const seen = new Set<string>();
      for (const item of [...body.items].reverse()) {
        if (item.id !== undefined) seen.add(item.id);
        printer(item);
      }
      if (body.nextCursor) options.err.write(`lift: showing the newest ${body.items.length} lines; --limit or --since shows more\n`);
      if (!options.follow) return 0;
      const ended = await followStream(`${observabilityUrl}/v1/logs/stream?${query(options.filters)}`, token, seen, printer, options.signal);
      if (ended === 'aborted') return 0;
      options.err.write(`lift: the live tail from observability ended (${ended}); following the log files in ${join(options.home, 'data', 'logs')} instead\n`);
      await tailLogFiles(filesFor(options.home, options.filters.service), options.filters, printer, options.signal, true);
      return 0;
    }
    unavailable = `observability answered ${answer.status}${answer.status === 401 || answer.status === 403 ? ' (is the token allowed to read logs?)' : ''}`;
  } catch (error) {
    unavailable = describe(error);
  }
  const files = filesFor(options.home, options.filters.service);
  if (files.every((file) => !existsSync(file) && !existsSync(`${file}.1`))) {
    options.err.write(`lift: ${unavailable}, and there are no log files in ${join(options.home, 'data', 'logs')} ("lift up" writes them)\n`);
    return 1;
  }
  options.err.write(`lift: ${unavailable}; reading the log files in ${join(options.home, 'data', 'logs')} instead\n`);
  for (const item of readLogFiles(files, options.filters).slice(-options.limit)) printer(item);
  if (options.follow) await tailLogFiles(files, options.filters, printer, options.signal, true);
  return 0;
}

/** The token `lift logs` reads with: LIFT_TOKEN, or a login as the development admin at auth. */
async function accessToken(settings: Record<string, string | undefined>): Promise<string> {
  if (settings.LIFT_TOKEN) return settings.LIFT_TOKEN;
  if (!settings.LIFT_ADMIN_EMAIL || !settings.LIFT_ADMIN_PASSWORD) throw new Error('no LIFT_TOKEN, and no LIFT_ADMIN_EMAIL and LIFT_ADMIN_PASSWORD to log in with');
  const authUrl = (settings.AUTH_SERVICE_URL ?? 'http://127.0.0.1:8001').replace(/\/$/, '');
  const answer = await fetch(`${authUrl}/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: settings.LIFT_ADMIN_EMAIL, password: settings.LIFT_ADMIN_PASSWORD }),
    signal: AbortSignal.timeout(5_000),
  });
  if (answer.status !== 200) throw new Error(`auth refused the login of ${settings.LIFT_ADMIN_EMAIL} (${answer.status})`);
  return ((await answer.json()) as { accessToken: string }).accessToken;
}

function query(filters: LogFilters, limit?: number): string {
  const parameters = new URLSearchParams();
  if (filters.service) parameters.set('service', filters.service);
  if (filters.level) parameters.set('level', filters.level);
  if (filters.requestId) parameters.set('requestId', filters.requestId);
  if (filters.from) parameters.set('from', filters.from);
  if (limit !== undefined) parameters.set('limit', String(limit));
  return parameters.toString();
}

/** Reads `event: log` items from the SSE stream until it ends, fails or `signal` aborts. */
async function followStream(url: string, token: string, seen: Set<string>, print: (item: LogItem) => void, signal: AbortSignal | undefined): Promise<string> {
  try {
    const answer = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, ...(signal ? { signal } : {}) });
    if (answer.status !== 200 || !answer.body) return `observability answered ${answer.status}`;
    const decoder = new TextDecoder();
    let pending = '';
    let event = 'message';
    let data: string[] = [];
    for await (const chunk of answer.body) {
      pending += decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (event === 'log' && data.length > 0) {
            const item = JSON.parse(data.join('\n')) as LogItem;
            if (item.id === undefined || !seen.has(item.id)) print(item);
          }
          event = 'message';
          data = [];
        } else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
    }
    return 'observability closed the stream';
  } catch (error) {
    return signal?.aborted ? 'aborted' : describe(error);
  }
}

/** Prints an item as `lift up` prints a line (the service, then the formatted line), or as JSON. */
function linePrinter(options: LogsOptions): (item: LogItem) => void {
  return (item) => {
    if (options.json) {
      options.out.write(`${JSON.stringify(item)}\n`);
      return;
    }
    const { fields, ...known } = item;
    const { id: _id, ...shown } = known;
    options.out.write(`${item.service.padEnd(13)} | ${formatLogLine(JSON.stringify({ ...shown, ...fields }))}\n`);
  };
}

/** The files of one service, or of every service that has one (not lift.log, the detached supervisor's own). */
function filesFor(home: string, service: string | undefined): string[] {
  if (service) return [serviceLogFile(home, service)];
  const directory = join(home, 'data', 'logs');
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.log') && name !== 'lift.log' && statSync(join(directory, name)).isFile())
    .map((name) => join(directory, name));
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'observability is not running (connection refused)';
  if ((error as Error).name === 'TimeoutError') return 'observability did not answer in time';
  return (error as Error).message;
}


/** `--since 15m` (s, m, h, d) or an ISO time → the ISO time to read from; undefined when unreadable. */
export function sinceTime(value: string, now = Date.now()): string | undefined {
  const relative = /^(\d+)(s|m|h|d)$/.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd']).toISOString();
  const time = Date.parse(value);
  return /^\d{4}-\d{2}-\d{2}/.test(value) && Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
