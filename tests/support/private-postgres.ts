import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** Debian's and Ubuntu's PostgreSQL binaries (any version: CI runners carry another than 15). */
const binaries = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a))[0];
  return version === undefined ? undefined : join(root, version, 'bin');
})();

/** How to run a command as the postgres user: su when root, passwordless sudo otherwise (GitHub's runners). */
const asPostgresUser: ((command: string) => string[]) | undefined = (() => {
  if (spawnSync('id', ['postgres']).status !== 0) return undefined;
  if (process.getuid?.() === 0) return (command: string) => ['su', 'postgres', '-c', command];
  if (spawnSync('sudo', ['-n', 'true']).status === 0) return (command: string) => ['sudo', '-n', '-u', 'postgres', 'sh', '-c', command];
  return undefined;
})();

/** Whether this machine can run a throw-away PostgreSQL of a test's own. */
export const privatePostgresAvailable = binaries !== undefined && asPostgresUser !== undefined;

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
  if (!binaries || !asPostgresUser) throw new Error('no PostgreSQL binaries, or no way to act as the postgres user');
  const bin = binaries;
  const wrap = asPostgresUser;
  const asPostgres = (command: string) => {
    const [program, ...args] = wrap(command) as [string, ...string[]];
    return execFileSync(program, args, { stdio: 'pipe' });
  };
  // A directory the postgres user owns, made by that user (root's or the runner's would not do).
  const directory = asPostgres(`mktemp -d ${join(tmpdir(), 'lift-private-pg-XXXXXX')}`).toString().trim();
  const data = join(directory, 'data');
  const port = await freePort();
  asPostgres(`${bin}/initdb -D ${data} -U postgres --auth=trust --no-sync`);
  const start = () => void asPostgres(`${bin}/pg_ctl -D ${data} -l ${directory}/log -o '-c listen_addresses=127.0.0.1 -p ${port} -k ${directory} -c fsync=on' -w start`);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    crash: () => void asPostgres(`${bin}/pg_ctl -D ${data} -m immediate stop`),
    start,
    remove: () => {
      try {
        asPostgres(`${bin}/pg_ctl -D ${data} -m immediate stop`);
      } catch {
        // Already stopped.
      }
      asPostgres(`rm -rf ${directory}`);
    },
  };
}
