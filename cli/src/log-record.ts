/**
 * One line a service wrote, as the JSON line that goes into its log file and to observability.
 * A pino line goes as it is (with `service` added if it lacks one). Anything else is wrapped:
 * `{ level, time, service, msg, stream }`. A line on stderr is what the service's logger did not
 * write — an uncaught exception's stack, a crash, a native module's complaint — so it is `error`
 * (Node's own `(node:PID) …Warning:` lines are `warn`): `lift logs --level error` finds a crash.
 * A stray line on stdout (a console.log) is `info`.
 */
export function logRecordOf(service: string, line: string, stream: 'stdout' | 'stderr', now: () => Date = () => new Date()): string | undefined {
  if (line.trim() === '') return undefined;
  if (line.startsWith('{')) {
    try {
      const entry = JSON.parse(line) as unknown;
      if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
        return typeof (entry as { service?: unknown }).service === 'string' ? line : JSON.stringify({ ...(entry as object), service });
      }
    } catch {
      // not JSON after all: wrapped below
    }
  }
  const level = stream === 'stdout' ? 'info' : /^\(node:\d+\) \S*Warning/.test(line) ? 'warn' : 'error';
  return JSON.stringify({ level, time: now().toISOString(), service, msg: line, stream });
}
