// Usage ingestion benchmark (run by hand: `node --import tsx bench/billing/usage-ingestion.ts`).
// POST /v1/usage/batch through the billing app (validation, idempotency, SQLite with
// synchronous=FULL), BATCH events per call, then checks the totals are exact. The baseline in the
// same run: the same rows inserted straight into SQLite with better-sqlite3 (no HTTP, no checks).
// Aim (issue #5): >= 20,000 events/s into SQLite on this machine.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SignJWT } from 'jose';
import { createHttpClient, createLogger, databaseLocation, InProcessState, loadConfig, migrateToLatest, openDatabase, systemClock } from '@lift/kit';
import { buildApp, type BillingTables } from '../../services/billing/src/app.js';
import { billingConfigSchema } from '../../services/billing/src/config.js';
import { billingMigrations } from '../../services/billing/src/migrations/index.js';

const total = Number(process.env.EVENTS ?? 100_000);
const batch = Number(process.env.BATCH ?? 5_000);
const secret = 'bench secret that is long enough for HS256';

const config = await loadConfig(billingConfigSchema, { env: { DATABASE_URL: `sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-bench-')), 'lift.db')}`, JWT_ALGORITHM: 'HS256', JWT_SECRET: secret } });
const database = await openDatabase<BillingTables>({ location: databaseLocation(config.DATABASE_URL, 'billing'), sqliteSynchronous: 'FULL' });
await migrateToLatest(database, billingMigrations);
const app = await buildApp({ config, log: createLogger({ service: 'billing', version: 'bench', level: 'silent' }), clock: systemClock, state: new InProcessState(systemClock), http: createHttpClient({ service: 'billing', version: 'bench' }), database: { ...database, migrated: Promise.resolve() }, organisations: { exists: async () => true } });
while ((await app.inject({ method: 'GET', url: '/ready' })).statusCode !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
const token = await new SignJWT({ org: 'platform', roles: ['service'], perms: ['billing:usage', 'billing:read'] }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject('svc:gateway').setIssuer('http://localhost:8000/auth').setAudience('lift-os').setIssuedAt().setExpirationTime('1h').setJti('bench').sign(new TextEncoder().encode(secret));

const now = new Date().toISOString();
const events = Array.from({ length: total }, (_, index) => ({ id: `evt-${index}`, org: `org-${index % 10}`, metric: 'api_calls', quantity: (index % 3) + 1, timestamp: now, properties: { route: '/memory/v1/search' } }));
const expected = events.reduce((sum, event) => sum + event.quantity, 0);

let started = performance.now();
for (let start = 0; start < total; start += batch) {
  const response = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers: { authorization: `Bearer ${token}` }, payload: { events: events.slice(start, start + batch) } });
  if (response.statusCode !== 200) throw new Error(response.body);
}
const serviceSeconds = (performance.now() - started) / 1000;

let counted = 0;
for (let org = 0; org < 10; org += 1) {
  const entitlements = (await app.inject({ method: 'GET', url: `/v1/entitlements/org-${org}`, headers: { authorization: `Bearer ${token}` } })).json() as { metrics: { metric: string; used: number }[] };
  counted += entitlements.metrics.find((metric) => metric.metric === 'api_calls')?.used ?? 0;
}
const resent = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers: { authorization: `Bearer ${token}` }, payload: { events: events.slice(0, batch) } });

// Baseline: the same rows, straight into SQLite (WAL, synchronous=FULL), one transaction per batch.
const raw = new BetterSqlite3(join(mkdtempSync(join(tmpdir(), 'lift-bench-raw-')), 'raw.db'));
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = FULL');
raw.exec('create table usage_events (id text not null, organisation_id text not null, metric text, quantity integer, occurred_at text, properties text, received_at text, primary key (organisation_id, id))');
const insert = raw.prepare('insert into usage_events values (?, ?, ?, ?, ?, ?, ?) on conflict(organisation_id, id) do nothing');
const insertBatch = raw.transaction((rows: typeof events) => {
  for (const row of rows) insert.run(row.id, row.org, row.metric, row.quantity, row.timestamp, JSON.stringify(row.properties), now);
});
started = performance.now();
for (let start = 0; start < total; start += batch) insertBatch(events.slice(start, start + batch));
const rawSeconds = (performance.now() - started) / 1000;

process.stdout.write(`usage ingestion, ${total} events in batches of ${batch}, SQLite synchronous=FULL\n`);
process.stdout.write(`  billing POST /v1/usage/batch   ${Math.round(total / serviceSeconds).toString().padStart(8)} events/s\n`);
process.stdout.write(`  raw better-sqlite3 (baseline)  ${Math.round(total / rawSeconds).toString().padStart(8)} events/s   (billing at ${((rawSeconds / serviceSeconds) * 100).toFixed(0)}% of it)\n`);
process.stdout.write(`  totals exact: ${counted === expected} (${counted} of ${expected}); a batch sent again: ${JSON.stringify(resent.json())}\n`);
await app.close();
await database.close();
