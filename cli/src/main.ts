import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCommand } from './build-command.js';
import { downCommand } from './down-command.js';
import { UnknownServiceError } from './service-catalog.js';
import { statusCommand } from './status-command.js';
import { upCommand } from './up-command.js';

const usage = `usage: lift <command> [options]

Runs Lift OS Core natively on the seed's ports (gateway 8000, auth 8001, billing 8002,
memory 8003, observability 8004, registry 8005). LIFT_HOME: where .env.local and data/ live.

  up [service…]    build and start the services natively (all six by default) and supervise them
      --detach       run in the background; "lift down" stops it
      --json-logs    print the services' JSON log lines as they are
      --with-modules also start the example modules (modules/_template) once the core is ready
      --timeout MS   how long to wait for readiness (default 60000)
  down             stop a detached "lift up"
  build [service…] bundle the services into dist/services (what "up" and the images run)
  status           health, readiness, version and uptime of every service (exit 1 if any is not ready)
      --json         the same as JSON
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
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '60000' },
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
      return upCommand({ root, home, services: rest, detach: values.detach, jsonLogs: values['json-logs'], withModules: values['with-modules'], readyTimeoutMs: Number(values.timeout) });
    case 'down':
      return downCommand(home);
    case 'build':
      return buildCommand(root, rest);
    case 'status':
      return statusCommand(values.json);
    default:
      process.stderr.write(`lift: unknown command "${command}"\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UnknownServiceError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`lift: ${(error as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(`lift: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
