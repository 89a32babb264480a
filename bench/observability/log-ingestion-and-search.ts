// Log ingestion rate and search latency through the real app (run by hand, never in tests):
//   node --import tsx bench/observability/log-ingestion-and-search.ts
//   LINES=200000 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test node --import tsx bench/observability/log-ingestion-and-search.ts
// Ingests LINES (default 1,000,000) realistic pino lines — six services, requests of 3–8 lines
// sharing a request and a trace id, most with an organisation, messages from templates over a
// few hundred words — as NDJSON batches of BATCH lines (default 2,000) through POST /v1/logs
// (app.inject, two batches in flight, the replica's default concurrency), and prints lines/s.
// Then it times GET /v1/logs for random request ids, random two-word queries (two words of one
// stored message, or two random words), and two-word queries with a service filter: p50 and p95
// of each, the median of three rounds. Aims (issue #15): ≥ 20,000 lines/s; p95 ≤ 100 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient, createLogger, databaseLocation, InProcessState, loadConfig, migrateToLatest, openDatabase, systemClock } from '@lift/kit';
import { buildApp, type ObservabilityTables } from '../../services/observability/src/app.js';
import { observabilityConfigSchema } from '../../services/observability/src/config.js';
import { observabilityMigrations } from '../../services/observability/src/migrations/index.js';
import { bearerFor } from '../../tests/support/test-token.js';

const lineCount = Number(process.env.LINES ?? 1_000_000);
const batchSize = Number(process.env.BATCH ?? 2_000);
const queries = Number(process.env.QUERIES ?? 200);
const secret = 'the log benchmark signs its own HS256 tokens with this';
const directory = mkdtempSync(join(tmpdir(), 'lift-log-bench-'));
const databaseUrl = process.env.DATABASE_URL ?? `sqlite:///${join(directory, 'observability.db')}`;

const config = await loadConfig(observabilityConfigSchema, { env: { DATABASE_URL: databaseUrl, JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, LOG_RETENTION_DAYS: '3650' } });
const location = databaseLocation(config.DATABASE_URL, `observability_bench_${Date.now()}`);
const database = await openDatabase<ObservabilityTables>({ location });
await migrateToLatest(database, observabilityMigrations);
const app = await buildApp({
  config,
  log: createLogger({ service: 'observability', version: 'bench', level: 'silent' }),
  clock: systemClock,
  state: new InProcessState(systemClock),
  http: createHttpClient({ service: 'observability', version: 'bench' }),
  database: { ...database, migrated: Promise.resolve() },
});
await app.ready();
const now = Date.now();
const token = (permissions: string[]) => bearerFor({ secret, organisation: 'org-platform', permissions, subject: 'svc:bench', atMs: now, lifetimeSeconds: 3_600 * 6 });
const shipper = await token(['observability:ingest']);
const reader = await token(['observability:read']);

// A deterministic generator, so every run stores the same lines.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] as T;
const services = ['gateway', 'auth', 'memory', 'registry', 'billing', 'observability'];
const nouns = 'token session user account organisation memory space module manifest plan invoice payment subscription webhook alert rule key secret cache index vector embedding query search batch request response upstream connection pool database migration lease replica stream event outbox queue limit quota entitlement role permission grant client password email verification refresh revocation signature certificate probe health metric trace span'.split(' ');
const verbs = 'created updated deleted refused accepted verified expired revoked rotated loaded saved rebuilt retried failed completed started stopped granted denied issued parsed validated published consumed acknowledged throttled cached evicted opened closed'.split(' ');
const qualifiers = 'slow fast missing invalid unknown stale duplicate partial remote local primary pending new old empty full'.split(' ');
const levels = [30, 30, 30, 30, 30, 20, 20, 40, 50, 10];
const orgs = Array.from({ length: 50 }, (_, index) => `org-${index}`);
const message = () => {
  switch (Math.floor(random() * 4)) {
    case 0:
      return `${pick(nouns)} ${pick(verbs)}`;
    case 1:
      return `${pick(qualifiers)} ${pick(nouns)} ${pick(verbs)} after ${Math.floor(random() * 500)} ms`;
    case 2:
      return `GET /v1/${pick(nouns)}s/${Math.floor(random() * 100_000)} ${pick([200, 200, 201, 204, 400, 404, 500])}`;
    default:
      return `the ${pick(nouns)} of the ${pick(nouns)} was ${pick(verbs)}: ${pick(qualifiers)} ${pick(nouns)}`;
  }
};

const requestIds: string[] = [];
const storedMessages: string[] = [];
let startTime = now - 3_600_000;
function batchOf(size: number): string {
  const rows: string[] = [];
  while (rows.length < size) {
    const reqId = `req-${random().toString(36).slice(2, 12)}`;
    const traceId = random().toString(16).slice(2).padEnd(32, '0');
    const org = random() < 0.7 ? pick(orgs) : undefined;
    if (random() < 0.01) requestIds.push(reqId);
    const lines = 3 + Math.floor(random() * 6);
    for (let index = 0; index < lines && rows.length < size; index += 1) {
      startTime += Math.floor(random() * 7);
      const msg = message();
      if (random() < 0.001) storedMessages.push(msg);
      rows.push(JSON.stringify({ level: pick(levels), time: startTime, service: pick(services), version: '0.1.0', pid: 1_000 + Math.floor(random() * 6), hostname: 'lift-1', reqId, traceId, ...(org ? { org } : {}), msg, ...(random() < 0.2 ? { durationMs: Math.floor(random() * 900), statusCode: 200 } : {}) }));
    }
  }
  return rows.join('\n');
}

const batches = Math.ceil(lineCount / batchSize);
let sent = 0;
let ingestMs = 0;
async function post(body: string) {
  const started = performance.now();
  const answer = await app.inject({ method: 'POST', url: '/v1/logs', headers: { ...shipper, 'content-type': 'application/x-ndjson' }, payload: body });
  if (answer.statusCode !== 202) throw new Error(`ingestion answered ${answer.statusCode}: ${answer.body}`);
  return performance.now() - started;
}
// Bodies are made ahead of the clock so only the app's work is timed.
for (let done = 0; done < batches; done += 20) {
  const bodies = Array.from({ length: Math.min(20, batches - done) }, (_, index) => batchOf(Math.min(batchSize, lineCount - (done + index) * batchSize)));
  const started = performance.now();
  for (let index = 0; index < bodies.length; index += 2) await Promise.all(bodies.slice(index, index + 2).map(post));
  ingestMs += performance.now() - started;
  sent += bodies.reduce((sum, body) => sum + body.split('\n').length, 0);
  if ((done / 20) % 25 === 0) process.stdout.write(`  ${sent} lines, ${Math.round(sent / (ingestMs / 1000))} lines/s so far\n`);
}
console.log(`${location.dialect}: ingested ${sent} lines in ${(ingestMs / 1000).toFixed(1)} s: ${Math.round(sent / (ingestMs / 1000))} lines/s (aim ≥ 20,000)`);

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] as number;
const median = (values: number[]) => percentile(values, 0.5);
const wordsOf = (text: string) => text.match(/[a-z]{3,}/g) ?? [];
async function timeSearches(name: string, makeQuery: () => string) {
  const p50s: number[] = [];
  const p95s: number[] = [];
  let found = 0;
  for (let round = 0; round < 3; round += 1) {
    const took: number[] = [];
    for (let index = 0; index < queries; index += 1) {
      const query = makeQuery();
      const started = performance.now();
      const answer = await app.inject({ method: 'GET', url: `/v1/logs?${query}`, headers: reader });
      took.push(performance.now() - started);
      if (answer.statusCode !== 200) throw new Error(`search answered ${answer.statusCode}: ${answer.body}`);
      if ((answer.json() as { items: unknown[] }).items.length > 0) found += 1;
    }
    p50s.push(percentile(took, 0.5));
    p95s.push(percentile(took, 0.95));
  }
  console.log(`  ${name.padEnd(34)} p50 ${median(p50s).toFixed(1)} ms  p95 ${median(p95s).toFixed(1)} ms  (${Math.round((found / (3 * queries)) * 100)} % found lines)`);
}
const twoWords = () => {
  if (random() < 0.5) {
    const words = wordsOf(pick(storedMessages));
    if (words.length >= 2) return `q=${encodeURIComponent(`${pick(words)} ${pick(words)}`)}`;
  }
  return `q=${encodeURIComponent(`${pick([...nouns, ...verbs])} ${pick([...nouns, ...verbs, ...qualifiers])}`)}`;
};
console.log(`search over ${sent} lines (limit 100, ${queries} queries × 3 rounds, medians):`);
await timeSearches('requestId', () => `requestId=${pick(requestIds)}`);
await timeSearches('two words', twoWords);
await timeSearches('two words + service', () => `${twoWords()}&service=${pick(services)}`);
await timeSearches('service + level=error', () => `service=${pick(services)}&level=error`);
await timeSearches('org + two words (tenant view)', () => `org=${pick(orgs)}&${twoWords()}`);
await app.close();
// The run's own PostgreSQL schema goes with it.
if (location.dialect === 'postgres') await sql.raw(`drop schema "${location.schema}" cascade`).execute(database.db);
await database.close();
rmSync(directory, { recursive: true, force: true });
