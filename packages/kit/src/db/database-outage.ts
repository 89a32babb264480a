/**
 * Whether an error says the database cannot be reached right now — the server down or restarting,
 * a connection lost, the pool unable to connect in time, SQLite's file locked for too long — as
 * opposed to a bug or a bad query. Such a failure is a 503 the caller may retry, not a 500.
 */
export function isDatabaseOutage(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && (outageCodes.has(code) || /^08/.test(code))) return true;
    if (outageMessages.some((pattern) => pattern.test(current instanceof Error ? current.message : ''))) return true;
  }
  return false;
}

/**
 * Node's socket errors; PostgreSQL's admin shutdown, crash shutdown, cannot connect now and too
 * many connections (with class 08, connection exceptions, above); SQLite's busy and locked.
 */
const outageCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/** node-postgres's own words when a connection ends or cannot be had (it sets no code then). */
const outageMessages = [/^Connection terminated/, /timeout exceeded when trying to connect/i, /^Client has encountered a connection error/, /^Cannot use a pool after calling end/];
