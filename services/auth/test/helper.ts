import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { afterEach } from 'vitest';
import {
  createHttpClient,
  createLogger,
  databaseLocation,
  InProcessState,
  loadConfig,
  migrateToLatest,
  openDatabase,
  openSharedState,
  type Clock,
  type ServiceApp,
  type SharedState,
} from '@lift/kit';
import { buildAuthApp, type AuthTables } from '../src/app.js';
import type { MailSender } from '../src/mail/mail-sender.js';
import { authConfigSchema } from '../src/config.js';
import { authMigrations } from '../src/migrations/index.js';
import type { PasswordHashing } from '../src/passwords.js';
import { testSchemaName } from '../../../tests/support/test-schema.js';
import { untilReady } from '../../../tests/support/until-ready.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testRedisUrl = process.env.TEST_REDIS_URL;

/** Where a suite runs: always SQLite with in-process state; PostgreSQL with Redis when CI provides them. */
export const backends = [
  { name: 'SQLite + in-process state', postgres: false },
  ...(testDatabaseUrl && testRedisUrl ? [{ name: 'PostgreSQL + Redis', postgres: true }] : []),
];
if (!testDatabaseUrl || !testRedisUrl) {
  process.stderr.write('\n*** SKIPPED: auth suites on PostgreSQL + Redis need TEST_DATABASE_URL and TEST_REDIS_URL ***\n\n');
}

/** argon2id at a fraction of the production cost, so a suite of hundreds of logins stays fast. */
export const fastHashing: PasswordHashing = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface AuthUnderTest {
  readonly app: ServiceApp;
  readonly state: SharedState;
  /** The service's own tables, to assert side effects and to arrange what no route can. */
  readonly db: Kysely<AuthTables>;
  /** Where its tables are, so a second app (a restart, another replica) can share them. */
  readonly storage: { readonly databaseUrl: string; readonly schema: string };
  /** Lines the service logged at warn and above, parsed (only with `captureLogs`). */
  readonly logs: Record<string, unknown>[];
  /** The app's mail sender: `sendDue()` sends what is queued now, without waiting for a poll. */
  readonly mail: MailSender;
  /** Where messages are written when no SMTP_URL is given (a fresh directory). */
  readonly mailDir: string;
}

export function manualClock(start = Date.parse('2026-11-28T09:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}


/** The auth app on a fresh database (and, for PostgreSQL, a fresh schema and Redis prefix). */
export async function buildAuth(
  options: {
    postgres?: boolean;
    env?: Record<string, string>;
    clock?: Clock;
    passwordHashing?: PasswordHashing;
    /** Run on another app's tables instead of fresh ones. */
    storage?: AuthUnderTest['storage'];
    /** Keep what the service logs at warn and above in `logs` (silent otherwise). */
    captureLogs?: boolean;
  } = {},
): Promise<AuthUnderTest> {
  // Dropped after the whole run (see tests/support/build-services.global.ts), not here.
  const unique = options.storage?.schema ?? testSchemaName('auth');
  const databaseUrl =
    options.storage?.databaseUrl ?? (options.postgres ? (testDatabaseUrl as string) : `sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-auth-')), 'lift.db')}`);
  const mailDir = join(mkdtempSync(join(tmpdir(), 'lift-auth-mail-')), 'mail');
  const config = await loadConfig(authConfigSchema, {
    env: {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: unique,
      LIFT_ADMIN_EMAIL: 'admin@lift.test',
      LIFT_ADMIN_PASSWORD: 'platform admin passphrase',
      // No registry in unit tests unless a test starts one (module-grants.test.ts).
      REGISTRY_SERVICE_URL: '',
      // No gateway either: revocation events stay in a fresh outbox (or go to Redis).
      GATEWAY_URL: '',
      REVOCATION_OUTBOX_FILE: join(mkdtempSync(join(tmpdir(), 'lift-auth-outbox-')), 'outbox.db'),
      // Mail without SMTP_URL lands here, never in the repository's data/mail.
      MAIL_DIR: mailDir,
      ...(options.postgres ? { REDIS_URL: testRedisUrl as string, REDIS_KEY_PREFIX: `${unique}:` } : {}),
      ...options.env,
    },
  });
  const clock = options.clock ?? manualClock();
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const log = createLogger({ service: 'auth', version: 'test', level: options.captureLogs ? 'warn' : 'silent', destination });
  const database = await openDatabase<AuthTables>({ location: databaseLocation(config.DATABASE_URL, 'auth', config.DATABASE_SCHEMA) });
  await migrateToLatest(database, authMigrations);
  const state = options.postgres ? await openSharedState(config, clock) : new InProcessState(clock);
  const http = createHttpClient({ service: 'auth', version: 'test' });
  const { app, mail } = await buildAuthApp({
    config,
    log,
    clock,
    state,
    http,
    database: { ...database, migrated: Promise.resolve() },
    passwordHashing: options.passwordHashing ?? fastHashing,
  });
  cleanups.push(async () => {
    await app.close();
    await http.close();
    await state.close();
    await database.close();
  });
  // The platform admin is created in the background; the app is ready once it exists.
  await untilReady(app);
  return { app, state, db: database.db, storage: { databaseUrl, schema: unique }, logs, mail, mailDir };
}

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly userId: string;
  readonly organisationId: string;
}

export const defaultPassword = 'a long enough passphrase';

export async function registerUser(app: ServiceApp, email: string, extra: Record<string, string> = {}): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/v1/register', payload: { email, password: defaultPassword, ...extra } });
  if (response.statusCode !== 201) throw new Error(`register ${email}: ${response.statusCode} ${response.body}`);
  return response.json() as Session;
}

export async function loginUser(app: ServiceApp, email: string, password = defaultPassword, organisationId?: string): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/v1/login', payload: { email, password, ...(organisationId ? { organisationId } : {}) } });
  if (response.statusCode !== 200) throw new Error(`login ${email}: ${response.statusCode} ${response.body}`);
  return response.json() as Session;
}

export function bearer(session: { accessToken: string }): Record<string, string> {
  return { authorization: `Bearer ${session.accessToken}` };
}
