import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { repositoryRoot } from './service-process.js';

/** The seed's port of each service, as monitoring/prometheus/prometheus.native.yml names them. */
const seedPorts: Readonly<Record<string, number>> = { gateway: 8000, auth: 8001, billing: 8002, memory: 8003, observability: 8004, registry: 8005 };

export interface NativeConfigOptions {
  /** Where each service listens in this run (by name), instead of the seed's ports. */
  readonly ports: Readonly<Record<string, number>>;
  /** The file holding the `prometheus` client's secret. */
  readonly secretFile: string;
  /** Scrape, evaluation and service-discovery interval, e.g. `1s`, so a test waits seconds, not minutes. */
  readonly interval: string;
}

/**
 * monitoring/prometheus/prometheus.native.yml as it is, with this run's ports for the seed's, the
 * secret file and the rule files as absolute paths (the rendered file lives elsewhere), and a
 * short interval. Everything else — jobs, paths, the oauth2 block — is the committed file's.
 */
export function renderNativePrometheusConfig(options: NativeConfigOptions): string {
  const directory = join(repositoryRoot, 'monitoring/prometheus');
  let text = readFileSync(join(directory, 'prometheus.native.yml'), 'utf8');
  for (const [name, port] of Object.entries(seedPorts)) {
    const actual = options.ports[name];
    if (actual === undefined) throw new Error(`no port for ${name}`);
    text = text.replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${actual}`);
  }
  return text
    .replace('client_secret_file: ../../data/monitoring/prometheus.client-secret', `client_secret_file: ${options.secretFile}`)
    .replace(/^( +- )rules\//m, `$1${directory}/rules/`)
    .replace(/^( +(?:scrape_interval|evaluation_interval|refresh_interval): ).*$/gm, `$1${options.interval}`);
}

export interface PrometheusProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** A real Prometheus (Debian package `prometheus`) on `port` (a free one by default), its storage in a fresh temporary directory. */
export async function startPrometheus(config: string, options: { port?: number } = {}): Promise<PrometheusProcess> {
  const directory = mkdtempSync(join(tmpdir(), 'lift-prometheus-'));
  const configFile = join(directory, 'prometheus.yml');
  writeFileSync(configFile, config);
  const port = options.port ?? (await freePort());
  const child = spawn('prometheus', [`--config.file=${configFile}`, `--storage.tsdb.path=${join(directory, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    }
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${printed}`);
    const ready = await fetch(`${url}/-/ready`).then((answer) => answer.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within 15 s:\n${printed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output: () => printed, stop };
}
