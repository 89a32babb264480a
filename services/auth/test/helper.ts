import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Clock, ServiceApp, SharedState } from '@lift/kit';
import { buildAuthApp, type AuthTables } from '../src/app.js';
import type { MailSender } from '../src/mail/mail-sender.js';
import { authConfigSchema } from '../src/config.js';
import { authMigrations } from '../src/migrations/index.js';
import type { PasswordHashing } from '../src/passwords.js';
import { postgresAndRedis, sqliteAndMemory } from '../../../tests/support/backend.js';
import { scratchDirectories } from '../../../tests/support/scratch-directories.js';
import { startServiceUnderTest, type Storage } from '../../../tests/support/service-under-test.js';

/** The test file's folders (mail, outboxes), removed after its last test. */
const scratch = scratchDirectories();

export { backends, testDatabaseUrl } from '../../../tests/support/backends.js';
export { manualClock } from '../../../tests/support/manual-clock.js';

/** argon2id at a fraction of the production cost, so a suite of hundreds of logins stays fast. */
export const fastHashing: PasswordHashing = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface AuthUnderTest {
  readonly app: ServiceApp;
  readonly state: SharedState;
  /** The service's own tables, to assert side effects and to arrange what no route can. */
  readonly db: Kysely<AuthTables>;
  /** Where its tables are, so a second app (a restart, another replica) can share them. */
  readonly storage: Storage;
  /** Lines the service logged at warn and above, parsed (only with `captureLogs`). */
  readonly logs: Record<string, unknown>[];
  /** The app's mail sender: `sendDue()` sends what is queued now, without waiting for a poll. */
  readonly mail: MailSender;
  /** Works the registrations and reset requests queued so far (the app works them off the request path). */
  readonly workAccountRequests: () => Promise<number>;
  /** Where messages are written when no SMTP_URL is given (a fresh directory). */
  readonly mailDir: string;
}

/** The auth app on a fresh database (and, for PostgreSQL, a fresh schema and Redis prefix). */
export async function buildAuth(
  options: {
    postgres?: boolean;
    env?: Record<string, string>;
    clock?: Clock;
    passwordHashing?: PasswordHashing;
    /** Run on another app's tables instead of fresh ones. */
    storage?: Storage;
    /** Keep what the service logs at warn and above in `logs` (silent otherwise). */
    captureLogs?: boolean;
    /**
     * `false` stops the app's own background sender: a test that drives senders of its own on the
     * app's outbox would otherwise race it (every 5 s it took a message into the mail drop).
     */
    appSendsMail?: boolean;
  } = {},
): Promise<AuthUnderTest> {
  const mailDir = join(scratch('lift-auth-mail-'), 'mail');
  let mail: MailSender | undefined;
  let workAccountRequests: (() => Promise<number>) | undefined;
  const auth = await startServiceUnderTest<typeof authConfigSchema, AuthTables>({
    name: 'auth',
    configSchema: authConfigSchema,
    backend: options.postgres ? postgresAndRedis : sqliteAndMemory,
    database: { migrations: authMigrations, ...(options.storage ? { storage: options.storage } : {}) },
    env: {
      LIFT_ADMIN_EMAIL: 'admin@lift.test',
      LIFT_ADMIN_PASSWORD: 'platform admin passphrase',
      // No registry in unit tests unless a test starts one (module-grants.test.ts).
      REGISTRY_SERVICE_URL: '',
      // No gateway either: revocation events stay in a fresh outbox (or go to Redis).
      GATEWAY_URL: '',
      REVOCATION_OUTBOX_FILE: join(scratch('lift-auth-outbox-'), 'outbox.db'),
      // Mail without SMTP_URL lands here, never in the repository's data/mail.
      MAIL_DIR: mailDir,
      ...options.env,
    },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.captureLogs ? { logLevel: 'warn' as const } : {}),
    // The platform admin is created in the background; the app is ready once it exists.
    untilReady: true,
    buildApp: async (deps) => {
      const built = await buildAuthApp({ ...deps, passwordHashing: options.passwordHashing ?? fastHashing });
      mail = built.mail;
      workAccountRequests = built.workAccountRequests;
      return built.app;
    },
  });
  if (!mail || !workAccountRequests) throw new Error('buildAuthApp gave no mail sender');
  if (options.appSendsMail === false) await mail.stop();
  return { app: auth.app, state: auth.state, db: auth.db, storage: auth.storage, logs: auth.logs, mail, workAccountRequests, mailDir };
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
