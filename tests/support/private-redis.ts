import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** Whether redis-server is installed to run one of the test's own. */
export const privateRedisAvailable = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;

export interface PrivateRedis {
  readonly url: string;
  /** SHUTDOWN NOSAVE: the server goes away at once; with its append-only file synced at every write, nothing acknowledged is lost. */
  stop(): void;
  start(): void;
  remove(): void;
}

/**
 * A Redis of the test's own on a free port, with the append-only file production runs with
 * (appendfsync always): one a test may stop and start without touching the shared one.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const directory = mkdtempSync(join(tmpdir(), 'lift-private-redis-'));
  const port = await freePort();
  const start = () =>
    void execFileSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', directory, '--pidfile', join(directory, 'redis.pid'), '--logfile', join(directory, 'redis.log')]);
  const ping = () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG';
  const waitUntil = (up: boolean) => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if (ping() === up) return;
      spawnSync('sleep', ['0.05']);
    }
    throw new Error(`the private Redis on ${port} did not ${up ? 'start' : 'stop'} within 10 s`);
  };
  start();
  waitUntil(true);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
      waitUntil(false);
    },
    start: () => {
      start();
      waitUntil(true);
    },
    remove: () => {
      spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
