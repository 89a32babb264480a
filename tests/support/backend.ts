/** The real PostgreSQL and Redis of a test run, when it has them (CI sets both). */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testRedisUrl = process.env.TEST_REDIS_URL;

/** Where a service under test keeps its tables and its shared state. */
export interface Backend {
  readonly name: string;
  /** PostgreSQL (a fresh schema) and Redis (a fresh key prefix) rather than SQLite and in-process state. */
  readonly postgres: boolean;
}

export const sqliteAndMemory: Backend = { name: 'SQLite + in-process state', postgres: false };
export const postgresAndRedis: Backend = { name: 'PostgreSQL + Redis', postgres: true };
