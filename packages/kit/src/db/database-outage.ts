/**
 * Whether an error says the database cannot be reached right now — the server down or restarting,
 * a connection lost, the pool unable to connect in time, SQLite's file locked for too long — as
 * opposed to a bug or a bad query. Such a failure is a 503 the caller may retry, not a 500.
 */
export function isDatabaseOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // A socket error counts only as thrown by the database driver itself (the pool failing to
  // connect): one found as the cause of another error is more likely a call to another service
  // (`fetch failed`), which is not the database's outage.
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && socketCodes.has(code) && !(error instanceof TypeError)) return true;
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const { code: databaseCode } = current as { code?: unknown };
    if (typeof databaseCode === 'string' && (databaseCodes.has(databaseCode) || connectionException.test(databaseCode))) return true;
    if (outageMessages.some((pattern) => pattern.test((current as Error).message))) return true;
  }
  return false;
}

/** Node's socket errors, as the pool raises them when it cannot connect. */
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** PostgreSQL's admin shutdown, crash shutdown, cannot connect now and too many connections; SQLite's busy and locked. */
const databaseCodes = new Set(['57P01', '57P02', '57P03', '53300', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/** SQLSTATE class 08, connection exceptions — but not 08P01, a protocol violation, which bugs cause too. */
const connectionException = /^08(?!P01)/;

/** node-postgres's own words when a connection ends or cannot be had (it sets no code then). */
const outageMessages = [/^Connection terminated/, /timeout exceeded when trying to connect/i, /^Client has encountered a connection error/, /^Cannot use a pool after calling end/];
