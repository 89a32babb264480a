// Memory service benchmark (run by hand: `node --import tsx bench/memory/memory-service.ts`).
// One organisation, MEMORIES memories (100,000 by default) through the real app (HTTP inject,
// validation, SQLite file, FTS5, usearch), then in one run: ingestion rate (batches of BATCH),
// hybrid and neural search p50/p95, recall@10 of neural search (the index) against an exact scan
// of the same stored vectors, that exact scan in plain JS as the baseline, the time a restart
// takes until /ready with the index saved at shutdown (INDEX_SNAPSHOT_DIR) and rebuilding it from
// the database, and resident memory.
// Aims (issue #13): ≥ 2,000 memories/s; p95 ≤ 20 ms; recall@10 ≥ 0.95; index several times faster than the scan.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { createHttpClient, createLogger, databaseLocation, InProcessState, loadConfig, migrateToLatest, openDatabase, systemClock, type ServiceApp } from '@lift/kit';
import { buildApp, type MemoryTables } from '../../services/memory/src/app.js';
import { memoryConfigSchema } from '../../services/memory/src/config.js';
import { memoryMigrations } from '../../services/memory/src/migrations/index.js';
import { vectorFromBytes } from '../../services/memory/src/vector-index/vector-index.js';
import { embedText } from '../../services/memory/src/embedding/local-embedder.js';
import { percentile, syntheticQueries, syntheticTexts } from './synthetic-corpus.js';

const total = Number(process.env.MEMORIES ?? 100_000);
const batch = Number(process.env.BATCH ?? 500);
const queryCount = Number(process.env.QUERIES ?? 200);
const secret = 'bench secret that is long enough for HS256';
const benchDirectory = mkdtempSync(join(tmpdir(), 'lift-bench-memory-'));
const databaseUrl = `sqlite:///${join(benchDirectory, 'lift.db')}`;
const snapshotDirectory = join(benchDirectory, 'index');
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;

async function startApp(options: { snapshot: boolean }): Promise<{ app: ServiceApp; close: () => Promise<void> }> {
  const env = { DATABASE_URL: databaseUrl, JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, MEMORY_LIMITS: 'false', BODY_LIMIT_BYTES: String(16 * 1_048_576), INDEX_SNAPSHOT_DIR: options.snapshot ? snapshotDirectory : '' };
  const config = await loadConfig(memoryConfigSchema, { env });
  const database = await openDatabase<MemoryTables>({ location: databaseLocation(config.DATABASE_URL, 'memory') });
  await migrateToLatest(database, memoryMigrations);
  const log = createLogger({ service: 'memory', version: 'bench', level: 'silent' });
  const app = await buildApp({ config, log, clock: systemClock, state: new InProcessState(systemClock), http: createHttpClient({ service: 'memory', version: 'bench' }), database: { ...database, migrated: Promise.resolve() } });
  return { app, close: async () => { await app.close(); await database.close(); } };
}

async function untilReady(app: ServiceApp): Promise<void> {
  while ((await app.inject({ method: 'GET', url: '/ready' })).statusCode !== 200) await new Promise((resolve) => setTimeout(resolve, 5));
}

const token = await new SignJWT({ org: 'org-bench', roles: ['member'], perms: ['memory:read', 'memory:write'] }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject('user-bench').setIssuer('http://localhost:8000/auth').setAudience('lift-os').setIssuedAt().setExpirationTime('2h').setJti('bench').sign(new TextEncoder().encode(secret));
const headers = { authorization: `Bearer ${token}` };

const texts = syntheticTexts(total);
const queries = syntheticQueries(queryCount);

// 1. Ingestion.
let running = await startApp({ snapshot: true });
await untilReady(running.app);
const types = ['general', 'insight', 'note', 'decision'];
const ingestStart = performance.now();
for (let start = 0; start < total; start += batch) {
  const items = texts.slice(start, start + batch).map((content, offset) => ({ content, type: types[(start + offset) % types.length], tags: [`t${(start + offset) % 50}`] }));
  const response = await running.app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items } });
  if (response.statusCode !== 201) throw new Error(`batch at ${start}: ${response.statusCode} ${response.body.slice(0, 300)}`);
}
const ingestSeconds = (performance.now() - ingestStart) / 1000;
const rssAfterIngest = process.memoryUsage().rss;

// 2. Searches through the app (wall time of the whole request).
async function timed(mode: string): Promise<{ times: number[]; ids: string[][] }> {
  const times: number[] = [];
  const ids: string[][] = [];
  for (const query of queries) {
    const start = performance.now();
    const response = await running.app.inject({ method: 'POST', url: '/v1/search', headers, payload: { query, mode, limit: 10 } });
    times.push(performance.now() - start);
    ids.push((response.json() as { items: { memory: { id: string } }[] }).items.map((item) => item.memory.id));
  }
  return { times, ids };
}
await timed('hybrid'); // warm-up
const hybrid = await timed('hybrid');
const neural = await timed('neural');

// 3. Exact scan in JS over the same stored vectors: the baseline, and the truth for recall.
const { openDatabase: openAgain } = await import('@lift/kit');
const reader = await openAgain<MemoryTables>({ location: databaseLocation(databaseUrl, 'memory') });
const rows = await reader.db.selectFrom('memories').select(['id', 'embedding']).where('organisation_id', '=', 'org-bench').execute();
await reader.close();
const dimensions = 256;
const ids = rows.map((row) => row.id);
const matrix = new Float32Array(rows.length * dimensions);
rows.forEach((row, index) => matrix.set(vectorFromBytes(row.embedding), index * dimensions));
const scanTimes: number[] = [];
let found = 0;
queries.forEach((query, queryIndex) => {
  const start = performance.now();
  const vector = embedText(query, dimensions);
  const scores = new Float32Array(rows.length);
  for (let item = 0; item < rows.length; item += 1) {
    let dot = 0;
    const offset = item * dimensions;
    for (let d = 0; d < dimensions; d += 1) dot += (matrix[offset + d] as number) * (vector[d] as number);
    scores[item] = dot;
  }
  // Top 10 by partial selection, as a fair scan would do it (no full sort).
  const top: number[] = [];
  for (let item = 0; item < rows.length; item += 1) {
    if (top.length < 10 || (scores[item] as number) > (scores[top[top.length - 1] as number] as number)) {
      top.push(item);
      top.sort((a, b) => (scores[b] as number) - (scores[a] as number));
      if (top.length > 10) top.pop();
    }
  }
  scanTimes.push(performance.now() - start);
  // Ties at the 10th score make several top-10s equally right: count a hit as right if it scores at least the 10th.
  const tenth = scores[top[9] as number] as number;
  const byId = new Map(ids.map((id, index) => [id, index]));
  found += (neural.ids[queryIndex] ?? []).filter((id) => (scores[byId.get(id) as number] as number) >= tenth - 1e-6).length;
});
const recall = found / (queries.length * 10);

// 4. Restarts: with the index saved at shutdown (close saves, the start checks and loads it), then
// without the snapshot, rebuilding the index from the database.
async function restartSeconds(snapshot: boolean): Promise<number> {
  await running.close();
  const start = performance.now();
  running = await startApp({ snapshot });
  await untilReady(running.app);
  return (performance.now() - start) / 1000;
}
const savedSeconds = await restartSeconds(true);
const rssAfterLoad = process.memoryUsage().rss;
const rebuildSeconds = await restartSeconds(false);
const rssAfterRebuild = process.memoryUsage().rss;
await running.close();
// The database and the saved index are hundreds of megabytes at 100,000 memories.
rmSync(benchDirectory, { recursive: true, force: true });

const line = (name: string, times: number[]) => `${name.padEnd(26)} p50 ${percentile(times, 0.5).toFixed(2)} ms   p95 ${percentile(times, 0.95).toFixed(2)} ms`;
console.log(`memories                   ${total} in one organisation (batches of ${batch}), ${queries.length} queries`);
console.log(`ingestion                  ${Math.round(total / ingestSeconds)} memories/s (${ingestSeconds.toFixed(1)} s)`);
console.log(line('hybrid search (HTTP)', hybrid.times));
console.log(line('neural search (HTTP)', neural.times));
console.log(line('exact scan in JS (baseline)', scanTimes));
console.log(`recall@10 neural vs exact   ${recall.toFixed(3)}`);
console.log(`index loaded at start      ${savedSeconds.toFixed(1)} s until /ready (saved at shutdown, checked against the database)`);
console.log(`index rebuild at start     ${rebuildSeconds.toFixed(1)} s until /ready (from the database)`);
console.log(`resident memory            ${mb(rssAfterIngest)} after ingestion, ${mb(rssAfterLoad)} after loading the saved index, ${mb(rssAfterRebuild)} after the rebuild`);
