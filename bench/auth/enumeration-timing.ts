// Does the answer's time tell whether an address has an account? (run by hand:
// `node --import tsx bench/auth/enumeration-timing.ts`). With AUTH_EMAIL_VERIFICATION=required and
// OWASP argon2id parameters on SQLite, via app.inject (no network), it times, interleaved:
//   POST /v1/register        for a new address and for a taken one
//   POST /v1/password-reset  for an unknown address and for a known one
// and prints medians and p90s of each pair and their ratio (aim: 1.00 within the noise).
// Send limits are raised so every request does its full work.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient, createLogger, databaseLocation, InProcessState, loadConfig, migrateToLatest, openDatabase, systemClock } from '@lift/kit';
import { buildAuthApp, type AuthTables } from '../../services/auth/src/app.js';
import { authConfigSchema } from '../../services/auth/src/config.js';
import { authMigrations } from '../../services/auth/src/migrations/index.js';

const rounds = Number(process.env.ROUNDS ?? 60);
const directory = mkdtempSync(join(tmpdir(), 'lift-bench-'));
const config = await loadConfig(authConfigSchema, {
  env: {
    DATABASE_URL: `sqlite:///${join(directory, 'lift.db')}`,
    MAIL_DIR: join(directory, 'mail'),
    AUTH_EMAIL_VERIFICATION: 'required',
    REGISTRY_SERVICE_URL: '',
    GATEWAY_URL: '',
    REVOCATION_OUTBOX_FILE: join(directory, 'outbox.db'),
    MAIL_LIMIT_PER_RECIPIENT_PER_HOUR: '1000000',
    MAIL_LIMIT_PER_RECIPIENT_PER_CLIENT_PER_HOUR: '1000000',
    MAIL_LIMIT_PER_CLIENT_PER_HOUR: '1000000',
    LIFT_ADMIN_EMAIL: 'taken@example.com',
    LIFT_ADMIN_PASSWORD: 'a long enough admin passphrase',
  },
});
const database = await openDatabase<AuthTables>({ location: databaseLocation(config.DATABASE_URL, 'auth') });
await migrateToLatest(database, authMigrations);
const state = new InProcessState(systemClock);
const { app, workAccountRequests } = await buildAuthApp({
  config,
  log: createLogger({ service: 'auth', version: 'bench', level: 'silent' }),
  clock: systemClock,
  state,
  http: createHttpClient({ service: 'auth', version: 'bench' }),
  database: { ...database, migrated: Promise.resolve() },
});
await app.ready();
while ((await app.inject({ method: 'GET', url: '/ready' })).statusCode !== 200) await new Promise((resolve) => setTimeout(resolve, 20));

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * p)] as number;

async function timed(request: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await request();
  const took = performance.now() - started;
  // The background work of this request is done before the next is timed, so it never overlaps.
  await workAccountRequests();
  return took;
}

const samples = { registerNew: [] as number[], registerTaken: [] as number[], resetUnknown: [] as number[], resetKnown: [] as number[] };
for (let round = 0; round < rounds; round += 1) {
  const register = (email: string) => () => app.inject({ method: 'POST', url: '/v1/register', payload: { email, password: 'a long enough passphrase' } });
  const reset = (email: string) => () => app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email } });
  // Alternating which goes first, so a drift of the machine weighs on both.
  const pairs: [number[], () => Promise<unknown>, number[], () => Promise<unknown>][] = [
    [samples.registerNew, register(`new-${round}@example.com`), samples.registerTaken, register('taken@example.com')],
    [samples.resetUnknown, reset(`nobody-${round}@example.com`), samples.resetKnown, reset('taken@example.com')],
  ];
  for (const [firstSamples, first, secondSamples, second] of pairs) {
    if (round % 2 === 0) {
      firstSamples.push(await timed(first));
      secondSamples.push(await timed(second));
    } else {
      secondSamples.push(await timed(second));
      firstSamples.push(await timed(first));
    }
  }
}

const line = (name: string, a: number[], b: number[], labels: [string, string]) =>
  `${name}: ${labels[0]} median ${percentile(a, 0.5).toFixed(2)} ms (p90 ${percentile(a, 0.9).toFixed(2)}), ${labels[1]} median ${percentile(b, 0.5).toFixed(2)} ms (p90 ${percentile(b, 0.9).toFixed(2)}), ratio ${(percentile(b, 0.5) / percentile(a, 0.5)).toFixed(3)}\n`;
process.stdout.write(`account enumeration timing, AUTH_EMAIL_VERIFICATION=required, argon2id OWASP, SQLite, ${rounds} interleaved rounds\n`);
process.stdout.write(line('POST /v1/register', samples.registerNew, samples.registerTaken, ['new address', 'taken address']));
process.stdout.write(line('POST /v1/password-reset', samples.resetUnknown, samples.resetKnown, ['unknown address', 'known address']));
await app.close();
await state.close();
await database.close();
