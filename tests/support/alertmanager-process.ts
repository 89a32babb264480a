import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeWhenDone } from './close-when-done.js';
import { freePort } from './free-port.js';
import { repositoryRoot } from './service-process.js';

export interface NativeAlertmanagerOptions {
  /** Where observability's webhook is in this run. */
  readonly webhookUrl: string;
  /** The OAuth token endpoint (auth's /v1/oauth/token or a stand-in). */
  readonly tokenUrl: string;
  readonly secretFile: string;
}

/**
 * monitoring/alertmanager/alertmanager.native.yml as it is — route, receiver, oauth2 block — with
 * this run's URLs and secret file, and group timings of a second, so a test waits seconds.
 */
export function renderNativeAlertmanagerConfig(options: NativeAlertmanagerOptions): string {
  const text = readFileSync(join(repositoryRoot, 'monitoring/alertmanager/alertmanager.native.yml'), 'utf8');
  return text
    .replace('http://127.0.0.1:8004/v1/alertmanager/webhook', options.webhookUrl)
    .replace('http://127.0.0.1:8001/v1/oauth/token', options.tokenUrl)
    .replace('../../data/monitoring/alertmanager.client-secret', options.secretFile)
    .replace(/^( +group_wait: ).*$/gm, '$11s')
    .replace(/^( +group_interval: ).*$/gm, '$11s');
}

/** A real Alertmanager (Debian package `prometheus-alertmanager`) on a free port, clustering off, stopped after the test. */
export async function startAlertmanager(config: string): Promise<{ url: string; output(): string }> {
  const directory = mkdtempSync(join(tmpdir(), 'lift-alertmanager-'));
  const configFile = join(directory, 'alertmanager.yml');
  writeFileSync(configFile, config);
  const port = await freePort();
  const child = spawn('prometheus-alertmanager', [`--config.file=${configFile}`, `--storage.path=${join(directory, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=debug'], {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  closeWhenDone(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(killer);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}:\n${printed}`);
    if (await fetch(`${url}/-/ready`).then((answer) => answer.ok, () => false)) return { url, output: () => printed };
    if (Date.now() > deadline) throw new Error(`alertmanager was not ready within 15 s:\n${printed}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
