import { postgresAndRedis, sqliteAndMemory, testDatabaseUrl, testRedisUrl, type Backend } from '../../support/backend.js';
import { skipUnless } from '../../support/skip-rule.js';

/** A backend the load run was asked for, and whether this machine can give it. */
export interface SoakBackend extends Backend {
  readonly available: boolean;
}

const choices = { sqlite: [sqliteAndMemory], postgres: [postgresAndRedis], both: [sqliteAndMemory, postgresAndRedis] } as const;

/**
 * The backends the load run uses, from SOAK_BACKEND: `sqlite` (the default — the embedded
 * installation `npm start` gives, and `npm test`'s share), `postgres` (PostgreSQL + Redis, a
 * private schema per service and key prefix on the test servers) or `both`. Two stacks in one
 * file would double its share of `npm test` (~40 s each here), so PostgreSQL is asked for.
 * Without TEST_DATABASE_URL and TEST_REDIS_URL it is skipped loudly — a failure under CI=true —
 * but still listed, so the report shows a skipped suite rather than "no test suite found".
 */
export function soakBackends(choice: string = process.env.SOAK_BACKEND ?? 'sqlite'): readonly SoakBackend[] {
  if (!Object.hasOwn(choices, choice)) throw new Error(`SOAK_BACKEND must be sqlite, postgres or both, not "${choice}"`);
  return choices[choice as keyof typeof choices].map((backend) => ({
    ...backend,
    available: !backend.postgres || !skipUnless(testDatabaseUrl !== undefined && testRedisUrl !== undefined, 'the load run on PostgreSQL + Redis', 'TEST_DATABASE_URL and TEST_REDIS_URL'),
  }));
}
