// Login latency through the auth app (run by hand: `node --import tsx bench/auth/login-latency.ts`):
// POST /v1/login with OWASP argon2id parameters on SQLite, via app.inject (no network), median of
// 30, plus an unknown account (the decoy hash must make it take as long).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient, createLogger, databaseLocation, InProcessState, loadConfig, migrateToLatest, openDatabase, systemClock } from '@lift/kit';
import { buildApp, type AuthTables } from '../../services/auth/src/app.js';
import { authConfigSchema } from '../../services/auth/src/config.js';
import { authMigrations } from '../../services/auth/src/migrations/index.js';

const config = await loadConfig(authConfigSchema, { env: { DATABASE_URL: `sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-bench-')), 'lift.db')}`, LOCKOUT_MAX_FAILURES_PER_IP: '100000', LOCKOUT_QUICK_FAILURE_MS: '0' } });
const database = await openDatabase<AuthTables>({ location: databaseLocation(config.DATABASE_URL, 'auth') });
await migrateToLatest(database, authMigrations);
const state = new InProcessState(systemClock);
const app = await buildApp({ config, log: createLogger({ service: 'auth', version: 'bench', level: 'silent' }), clock: systemClock, state, http: createHttpClient({ service: 'auth', version: 'bench' }), database: { ...database, migrated: Promise.resolve() } });
await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'bench@example.com', password: 'a long enough passphrase' } });

async function timeLogins(email: string, password: string): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < 30; index += 1) {
    const started = performance.now();
    await app.inject({ method: 'POST', url: '/v1/login', payload: { email, password } });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[15] as number;
}

const success = await timeLogins('bench@example.com', 'a long enough passphrase');
const unknown = await timeLogins('nobody@example.com', 'a long enough passphrase');
process.stdout.write(`login (argon2id OWASP, SQLite, median of 30): existing account ${success.toFixed(1)} ms, unknown account ${unknown.toFixed(1)} ms\n`);
await app.close();
await state.close();
await database.close();
