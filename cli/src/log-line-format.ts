const levelNames: Record<string, string> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR', fatal: 'FATAL' };
// Fields every line carries, already shown by the prefix or not worth a terminal's width.
const omitted = new Set(['level', 'time', 'msg', 'service', 'version', 'pid', 'hostname']);

/**
 * A service's JSON log line as a short human line for the terminal: time, level, message, then
 * the remaining fields as key=value. Lines that are not JSON pass through unchanged.
 */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = levelNames[String(entry.level)] ?? String(entry.level ?? '');
  const fields = Object.entries(entry)
    .filter(([name]) => !omitted.has(name))
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [time, level, String(entry.msg ?? ''), ...fields].filter((part) => part !== '').join(' ');
}
