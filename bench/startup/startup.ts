// Start-up benchmark (run by hand: `npm run bench`; never a test). Measures, in one run and in
// alternating rounds, the time from launching the platform to all six services answering /ready,
// and the resident memory of the six idle service processes:
//   lift     — `lift up` as `npm start` runs it (bundled services; the build is fresh)
//   lift-cold — the same after deleting the build stamp (includes bundling)
//   tsx      — baseline: the six services' TypeScript run directly through tsx, unbundled
// It needs ports 8000-8005 free. Aims (issue #2): under 5 s and under 600 MB.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ports = { gateway: 8000, auth: 8001, billing: 8002, memory: 8003, observability: 8004, registry: 8005 } as const;
const rounds = Number(process.env.ROUNDS ?? 5);

interface Sample {
  readonly readyMs: number;
  readonly rssMb: number;
}

async function allReady(): Promise<boolean> {
  const answers = await Promise.all(
    Object.values(ports).map((port) =>
      fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(500) }).then(
        (response) => response.ok,
        () => false,
      ),
    ),
  );
  return answers.every(Boolean);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function rssOf(pids: readonly number[]): number {
  let kb = 0;
  for (const pid of pids) {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
    kb += Number(line?.replace(/\D+/g, '') ?? 0);
  }
  return kb / 1024;
}

function stop(children: readonly ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGINT');
        }),
    ),
  ).then(() => undefined);
}

async function measureLift(cold: boolean): Promise<Sample> {
  if (cold) rmSync(join(root, 'dist/services/build-stamp.json'), { force: true });
  const home = mkdtempSync(join(tmpdir(), 'lift-bench-'));
  const started = performance.now();
  const lift = spawn(process.execPath, [join(root, 'cli/bin/lift.js'), 'up', '--json-logs'], { cwd: home, env: { ...process.env, LIFT_HOME: home, LOG_LEVEL: 'warn' }, stdio: 'ignore' });
  await waitFor(allReady, 60_000);
  const readyMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const pids = Object.values(JSON.parse(readFileSync(join(home, 'data/run/services.json'), 'utf8')) as Record<string, number>);
  const rssMb = rssOf(pids);
  await stop([lift]);
  return { readyMs, rssMb };
}

async function measureTsx(): Promise<Sample> {
  const home = mkdtempSync(join(tmpdir(), 'lift-bench-'));
  const started = performance.now();
  const children = Object.entries(ports).map(([name, port]) =>
    spawn(process.execPath, ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, join(root, 'services', name, 'src/main.ts')], {
      cwd: home,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    }),
  );
  await waitFor(allReady, 60_000);
  const readyMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const rssMb = rssOf(children.map((child) => child.pid as number));
  await stop(children);
  return { readyMs, rssMb };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const candidates: Record<string, () => Promise<Sample>> = { lift: () => measureLift(false), 'lift-cold': () => measureLift(true), tsx: measureTsx };
const samples: Record<string, Sample[]> = { lift: [], 'lift-cold': [], tsx: [] };
if (await allReady()) throw new Error('something already answers on ports 8000-8005; stop it first');
for (let round = 1; round <= rounds; round += 1) {
  for (const [name, measure] of Object.entries(candidates)) {
    const sample = await measure();
    samples[name]?.push(sample);
    process.stdout.write(`round ${round} ${name.padEnd(9)} ready ${sample.readyMs.toFixed(0).padStart(5)} ms  rss ${sample.rssMb.toFixed(0).padStart(4)} MB\n`);
    await waitFor(async () => !(await allReady()), 30_000);
  }
}
process.stdout.write('\ncandidate  median ready   median RSS of the six   vs tsx (time, memory)\n');
const tsxReady = median((samples.tsx ?? []).map((sample) => sample.readyMs));
const tsxRss = median((samples.tsx ?? []).map((sample) => sample.rssMb));
for (const [name, list] of Object.entries(samples)) {
  const ready = median(list.map((sample) => sample.readyMs));
  const rss = median(list.map((sample) => sample.rssMb));
  process.stdout.write(`${name.padEnd(9)}  ${ready.toFixed(0).padStart(7)} ms   ${rss.toFixed(0).padStart(9)} MB             ${(ready / tsxReady).toFixed(2)}x, ${(rss / tsxRss).toFixed(2)}x\n`);
}
