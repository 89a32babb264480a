import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { backupCommand } from './backup-command.js';
import { buildCommand } from './build-command.js';
import { downCommand } from './down-command.js';
import { logLevels } from './log-file-reader.js';
import { logsCommand, sinceTime } from './logs-command.js';
import { restoreCommand } from './restore-command.js';
import { seedCommand } from './seed-command.js';
import { controllableNames, serviceControlCommand } from './service-control-command.js';
import { InstanceSettingError, parseInstances } from './instance-layout.js';
import { UnknownServiceError } from './service-catalog.js';
import { setupCommand } from './setup-command.js';
import { statusCommand } from './status-command.js';
import { upCommand } from './up-command.js';

const usage = `usage: lift <command> [options]

Runs Lift OS Core natively on the seed's ports (gateway 8000, auth 8001, billing 8002,
memory 8003, observability 8004, registry 8005). LIFT_HOME: where .env.local and data/ live.
LIFT_PORT_BASE (environment or .env.local) moves them all: the gateway on it, the others at
the same offsets (LIFT_PORT_BASE=18000: auth 18001 …).

  up [service…]    build and start the services natively (all six by default) and supervise them
      --detach       run in the background; "lift down" stops it
      --json-logs    print the services' JSON log lines as they are
      --with-modules also start the example modules (modules/_template) once the core is ready
      --timeout MS   how long to wait for readiness (default 60000)
      --instances auth=2,memory=2
                     several processes of a service (1-9; the gateway stays one; needs REDIS_URL):
                     instance k listens 100 x (k-1) above the service's port (auth 8001, 8101, 8201),
                     and the gateway balances across them
  down             stop a detached "lift up"
  stop <service>   stop one service of the running "lift up" (SIGTERM, SIGKILL after 15 s); it stays
                   stopped, not restarted, until "lift start"
  start <service>  start a service stopped with "lift stop"; answers once it is ready
      --timeout MS   how long to wait for readiness (default 60000; exit 1 if not ready by then)
  restart <service> stop and start every instance of a service; answers once they are ready
      --rolling      one instance at a time, each ready (and seen by the gateway) before the next
                     stops; one not ready in time ends it, the rest keep running (exit 1)
      --timeout MS   how long to wait for each readiness (default 60000)
  build [service…] bundle the services into dist/services (what "up" and the images run)
  status           health, readiness, version and uptime of every service (exit 1 if any is not ready),
                   services stopped with "lift stop", and how log shipping to observability goes
      --json         the same as JSON
  logs [service]   log lines from observability (LIFT_TOKEN, or the admin in .env.local), or from
                   data/logs/<service>.log when observability is down or refuses (said on stderr)
      --follow       keep printing new lines (observability's live tail, or the files)
      --request-id ID  only the lines of one request
      --level L      this level and above: ${logLevels.join(', ')}
      --since T      from a time on: 30s, 15m, 2h, 1d or an ISO time
      --limit N      at most N lines before following (default 100)
      --json         the lines as JSON, one a line
  setup            prepare a development installation: .env.local from .env.example (0600, never
                   overwritten), the first platform admin, client secrets and LIFT_BACKUP_KEY in it, data/
  seed             demo data through the running gateway: an organisation with an owner and a
                   member, the template module, memories and usage; running it again changes nothing
      --gateway URL  where the gateway answers (default http://127.0.0.1:8000)
      --allow-remote seed a gateway that is not on this machine (refused otherwise)
  backup           a consistent copy of every service's data while the platform runs (SQLite
                   online backup, or pg_dump of the services' schemas), with a manifest signed
                   with LIFT_BACKUP_KEY (unsigned, and said so, when it is not set)
      --to DIR       a new or empty directory (default: backups/lift-<UTC time> in LIFT_HOME)
  restore <DIR>    put a backup back (the platform must be stopped), where the current settings
                   keep the databases; its signature is checked first (LIFT_BACKUP_KEY). Every
                   file is copied and checked before anything changes; then SQLite files in place
                   now are moved to data/pre-restore-<time>/, PostgreSQL schemas are dropped and
                   replaced in one transaction
      --force        restore although a service still seems to use the database, and drop objects
                     of other schemas that depend on the replaced ones
      --trust-unsigned  restore a backup that is unsigned or signed with another key (from before
                     signing, or another installation): only checksums and contents are checked
      --partial      restore a SQLite backup that lacks some of the installation's databases,
                     keeping those as they are
`;

// The repository root holds the services' code; the home (the root unless LIFT_HOME says
// otherwise) holds .env.local and data/, wherever lift is run from.
const root = fileURLToPath(new URL('../../', import.meta.url));
const home = process.env.LIFT_HOME ?? root;

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      detach: { type: 'boolean', default: false },
      'json-logs': { type: 'boolean', default: false },
      'with-modules': { type: 'boolean', default: false },
      instances: { type: 'string' },
      rolling: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '60000' },
      follow: { type: 'boolean', short: 'f', default: false },
      'request-id': { type: 'string' },
      level: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string', default: '100' },
      gateway: { type: 'string', default: 'http://127.0.0.1:8000' },
      'allow-remote': { type: 'boolean', default: false },
      to: { type: 'string' },
      force: { type: 'boolean', default: false },
      'trust-unsigned': { type: 'boolean', default: false },
      partial: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case 'up':
      return upCommand({ root, home, services: rest, detach: values.detach, jsonLogs: values['json-logs'], withModules: values['with-modules'], readyTimeoutMs: Number(values.timeout), instances: parseInstances(values.instances) });
    case 'down':
      return downCommand(home);
    case 'build':
      return buildCommand(root, rest);
    case 'status':
      return statusCommand(values.json, home);
    case 'stop':
    case 'start':
    case 'restart':
      return serviceControlCommand(home, command, rest, { readyTimeoutMs: Number(values.timeout), rolling: values.rolling });
    case 'logs':
      return logs(rest, values);
    case 'setup':
      return setupCommand(root, home);
    case 'seed':
      return seedCommand({ root, home, gatewayUrl: values.gateway, allowRemote: values['allow-remote'], env: process.env });
    case 'backup':
      return backupCommand({ root, home, env: process.env, ...(values.to ? { to: values.to } : {}) });
    case 'restore':
      if (rest.length !== 1) {
        process.stderr.write('lift: usage: lift restore <backup directory> [--force] [--trust-unsigned] [--partial]\n');
        return 2;
      }
      return restoreCommand({ home, from: rest[0] as string, force: values.force, trustUnsigned: values['trust-unsigned'], partial: values.partial, env: process.env });
    default:
      process.stderr.write(`lift: unknown command "${command}"\n${usage}`);
      return 2;
  }
}

async function logs(rest: readonly string[], values: { follow: boolean; 'request-id'?: string; level?: string; since?: string; limit: string; json: boolean }): Promise<number> {
  const refuse = (message: string): number => {
    process.stderr.write(`lift: ${message}\n`);
    return 2;
  };
  const [service, ...extra] = rest;
  if (extra.length > 0) return refuse('logs takes one service at most');
  if (service !== undefined && !controllableNames.includes(service)) return refuse(`unknown service ${JSON.stringify(service)}; choose from ${controllableNames.join(', ')}`);
  if (values.level !== undefined && !(logLevels as readonly string[]).includes(values.level)) return refuse(`unknown level ${JSON.stringify(values.level)}; choose from ${logLevels.join(', ')}`);
  const from = values.since === undefined ? undefined : sinceTime(values.since);
  if (values.since !== undefined && from === undefined) return refuse('--since takes 30s, 15m, 2h, 1d or an ISO time');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) return refuse('--limit takes a whole number from 1 to 10000');
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  return logsCommand({
    home,
    filters: { ...(service ? { service } : {}), ...(values.level ? { level: values.level } : {}), ...(values['request-id'] ? { requestId: values['request-id'] } : {}), ...(from ? { from } : {}) },
    follow: values.follow,
    json: values.json,
    limit,
    env: process.env,
    out: process.stdout,
    err: process.stderr,
    signal: stop.signal,
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UnknownServiceError || error instanceof InstanceSettingError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`lift: ${(error as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(`lift: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
