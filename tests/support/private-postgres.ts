import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const binaries = '/usr/lib/postgresql/15/bin';

/** Whether this machine can run a throw-away PostgreSQL of a test's own (Debian's 15, and root to act as postgres). */
export const privatePostgresAvailable = existsSync(join(binaries, 'pg_ctl')) && process.getuid?.() === 0 && spawnSync('id', ['postgres']).status === 0;

export interface PrivatePostgres {
  readonly url: string;
  /** Stops the server at once, as a crash would (`pg_ctl stop -m immediate`: no checkpoint). */
  crash(): void;
  start(): void;
  remove(): void;
}

/**
 * A PostgreSQL cluster of the test's own, on a free port (`../shared/TOOLCHAIN.md`): one a test
 * may stop and start under load without touching the shared server other suites use.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const directory = mkdtempSync(join(tmpdir(), 'lift-private-pg-'));
  const postgres = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const group = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(directory, postgres, group);
  const data = join(directory, 'data');
  const port = await freePort();
  const asPostgres = (command: string) => execFileSync('su', ['postgres', '-c', command], { stdio: 'pipe' });
  asPostgres(`${binaries}/initdb -D ${data} -U postgres --auth=trust --no-sync`);
  const start = () => void asPostgres(`${binaries}/pg_ctl -D ${data} -l ${directory}/log -o '-c listen_addresses=127.0.0.1 -p ${port} -k ${directory} -c fsync=on' -w start`);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    crash: () => void asPostgres(`${binaries}/pg_ctl -D ${data} -m immediate stop`),
    start,
    remove: () => {
      try {
        asPostgres(`${binaries}/pg_ctl -D ${data} -m immediate stop`);
      } catch {
        // Already stopped.
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
