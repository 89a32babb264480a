import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildServices, serviceEntry } from './build-services.js';
import { buildConsole } from './build-console.js';
import { controlSocketPath, openControlChannel } from './control-channel.js';
import { openLogSinks } from './log-sinks.js';
import { ensureDevelopmentAdmin, firstLoginHint, type DevelopmentAdmin } from './development-admin.js';
import { writeMonitoringClientSecrets } from './monitoring-client-secrets.js';
import { formatLogLine } from './log-line-format.js';
import { developmentModuleKey, exampleModules, moduleProcesses } from './modules-command.js';
import { instanceEnvironment, peerUrls, refuseInstancesWithoutRedis } from './instance-environment.js';
import { instanceLayout, instancesOf, instancesSpec, parsePortBase, type ServiceInstance } from './instance-layout.js';
import { installationSettings } from './installation-settings.js';
import { isPortTaken } from './port-check.js';
import { waitUntilReady } from './probe.js';
import { isAlive, privateDirectoryMode, removeRunFiles, runFilesFor, runningSupervisorPid, writeRunFile } from './run-files.js';
import { selectServices } from './service-catalog.js';
import { StartupNotices } from './startup-notices.js';
import { statusTable } from './status-command.js';
import { Supervisor } from './supervisor.js';
import { supervisorControl } from './supervisor-control.js';

/** How long `lift stop` and `lift down` give a service between SIGTERM and SIGKILL. */
export const stopDeadlineMs = 15_000;

export interface UpOptions {
  /** The repository: where the services' code is built from. */
  readonly root: string;
  /** Where the services run: .env.local and data/ are here. */
  readonly home: string;
  readonly services: readonly string[];
  readonly detach: boolean;
  readonly jsonLogs: boolean;
  readonly readyTimeoutMs: number;
  /** Also start the example modules once the core is ready. */
  readonly withModules: boolean;
  /** `--instances auth=2,memory=2`: processes per service (one for a service not named). */
  readonly instances: ReadonlyMap<string, number>;
}

/** What one `lift up` runs: every process, where it listens, and the settings they were chosen from. */
interface Plan {
  readonly layout: readonly ServiceInstance[];
  readonly settings: Readonly<Record<string, string | undefined>>;
  readonly portBase: number;
  readonly gatewayUrl: string;
}

const say = (line: string): void => void process.stdout.write(`lift: ${line}\n`);

/** `lift up`: builds, starts and supervises the services natively; Ctrl-C stops them all. */
export async function upCommand(options: UpOptions): Promise<number> {
  const selected = selectServices(options.services);
  const settings = installationSettings(options.home, process.env);
  refuseInstancesWithoutRedis(options.instances, settings);
  const portBase = parsePortBase(settings.LIFT_PORT_BASE);
  const layout = instanceLayout(selected, options.instances, portBase);
  const plan: Plan = { layout, settings, portBase, gatewayUrl: instancesOf(layout, 'gateway')[0]?.url ?? `http://localhost:${portBase}` };
  const files = runFilesFor(options.home);
  const running = runningSupervisorPid(files);
  if (running !== undefined) {
    process.stderr.write(`lift: the platform is already running (pid ${running}); run "lift down" first\n`);
    return 1;
  }
  const taken = await portsTaken(layout);
  if (taken.length > 0) {
    process.stderr.write(`lift: ${taken.map((entry) => `port ${entry.port} (${entry.name})`).join(', ')} already in use; stop what listens there first\n`);
    return 1;
  }
  // Generated before the services start, so auth reads it from .env.local at its first start.
  const admin = selected.some((entry) => entry.name === 'auth') ? ensureDevelopmentAdmin(options.home, process.env) : undefined;
  // What a Prometheus or Alertmanager run beside the platform reads (monitoring/README.md).
  writeMonitoringClientSecrets(options.home, process.env);
  return options.detach ? startDetached(options, plan, admin) : supervise(options, plan, admin);
}

async function portsTaken(layout: readonly ServiceInstance[]): Promise<ServiceInstance[]> {
  const answers = await Promise.all(layout.map(async (instance) => ((await isPortTaken(instance.port)) ? instance : undefined)));
  return answers.filter((instance): instance is ServiceInstance => instance !== undefined);
}

async function supervise(options: UpOptions, plan: Plan, admin: DevelopmentAdmin | undefined): Promise<number> {
  const files = runFilesFor(options.home);
  const { layout, gatewayUrl } = plan;
  const services = [...new Set(layout.map((instance) => instance.service))];
  say(`building ${services.join(', ')}`);
  const { outdir } = await buildServices(options.root, services);
  // The gateway serves the console from where this checkout builds it, whichever home the services run in.
  const consoleDir = services.includes('gateway') ? (await buildConsole(options.root)).outdir : undefined;
  const notices = new StartupNotices();
  // The log shipper reaches auth and observability where this lift up runs them.
  const sinks = await openLogSinks({ home: options.home, services: layout.map((instance) => instance.name), env: { ...process.env, ...peerUrls(layout, { everyInstance: false }) }, say });
  const supervisor = new Supervisor({
    cwd: options.home,
    output: process.stdout,
    say,
    colors: process.stdout.isTTY === true,
    onLine: (service, line) => {
      notices.observe(line);
      sinks.line(service, line, 'stdout');
    },
    onErrorLine: (service, line) => sinks.line(service, line, 'stderr'),
    ...(options.jsonLogs ? {} : { formatLine: formatLogLine }),
    services: layout.map((instance) => ({
      name: instance.name,
      entry: serviceEntry(outdir, instance.service),
      // A laptop's services listen on loopback only unless HOST says otherwise, and modules run
      // there too, which the registry and the gateway allow only when told; so do the webhooks a
      // developer points alerts at (a local receiver), which observability refuses unless told.
      env: {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8',
        ALERT_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
        ...(consoleDir ? { CONSOLE_DIR: consoleDir } : {}),
        ...process.env,
        ...instanceEnvironment(instance, layout, plan.settings, plan.portBase),
      },
    })),
  });
  let stopping = false;
  // Listening before the pid file is written: whoever sees the pid can reach the channel.
  const control = supervisorControl({ supervisor, sinks, layout, stopDeadlineMs, isStopping: () => stopping, say });
  const channel = await openControlChannel(controlSocketPath(options.home), control).catch((error: unknown) => {
    say(`"lift stop" and "lift start" are not available: ${(error as Error).message}`);
    return undefined;
  });
  supervisor.start();
  writeRunFile(files.supervisorPidFile, `${process.pid}\n`);
  writeRunFile(files.servicesFile, `${JSON.stringify(supervisor.pids(), null, 2)}\n`);
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      say('stopping');
      void (async () => {
        await channel?.close();
        await supervisor.stop(stopDeadlineMs);
        await sinks.close();
        removeRunFiles(files);
        say('all services stopped');
        resolve();
      })();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

  const probes = await waitUntilReady(layout, options.readyTimeoutMs, () => stopping);
  if (!stopping) {
    writeRunFile(files.servicesFile, `${JSON.stringify(supervisor.pids(), null, 2)}\n`);
    process.stdout.write(`\n${statusTable(probes)}\n\n`);
    summariseAdmin(admin, notices, gatewayUrl);
    const allReady = probes.every((probe) => probe.ready);
    if (!allReady) say(`not ready after ${options.readyTimeoutMs} ms: ${probes.filter((probe) => !probe.ready).map((probe) => probe.name).join(', ')}; still trying`);
    else say(`all ${probes.length} services are ready; the gateway is at ${gatewayUrl} (Ctrl-C stops them)`);
    if (options.withModules && allReady) {
      try {
        const key = await developmentModuleKey(options.home, gatewayUrl, process.env);
        for (const module of moduleProcesses(options.root, gatewayUrl, key)) supervisor.add(module);
        say(`starting the example modules: ${exampleModules.map((module) => `${module.name} at ${gatewayUrl}/modules/${module.name}/`).join(', ')}`);
      } catch (error) {
        say(`the example modules could not be started: ${(error as Error).message}`);
      }
    }
  }
  await stopped;
  return 0;
}

async function startDetached(options: UpOptions, plan: Plan, admin: DevelopmentAdmin | undefined): Promise<number> {
  const files = runFilesFor(options.home);
  mkdirSync(dirname(files.logFile), { recursive: true, mode: privateDirectoryMode });
  const log = openSync(files.logFile, 'a');
  // Only this start's lines are searched for notices.
  const logOffset = fstatSync(log).size;
  const args = [...process.execArgv, process.argv[1] as string, 'up', '--json-logs', ...(options.withModules ? ['--with-modules'] : []), ...(options.instances.size > 0 ? ['--instances', instancesSpec(options.instances)] : []), ...new Set(plan.layout.map((instance) => instance.service))];
  const child = spawn(process.execPath, args, { cwd: options.home, detached: true, stdio: ['ignore', log, log], env: process.env });
  child.unref();
  const pid = child.pid as number;
  say(`started in the background (pid ${pid}); logs in ${files.logFile}`);
  const probes = await waitUntilReady(plan.layout, options.readyTimeoutMs, () => !isAlive(pid));
  process.stdout.write(`\n${statusTable(probes)}\n\n`);
  if (!isAlive(pid)) {
    removeRunFiles(files);
    process.stderr.write(`lift: the platform exited during start; see ${files.logFile}\n`);
    return 1;
  }
  if (!probes.every((probe) => probe.ready)) {
    process.stderr.write('lift: not every service became ready; "lift status" shows why, "lift down" stops them\n');
    return 1;
  }
  summariseAdmin(admin, StartupNotices.fromLog(logSince(files.logFile, logOffset)), plan.gatewayUrl);
  say('all services are ready; "lift down" stops them');
  return 0;
}

/** The first-login hint — or, when the services said the admin could not be made, why not. */
function summariseAdmin(admin: DevelopmentAdmin | undefined, notices: StartupNotices, gatewayUrl: string): void {
  for (const notice of notices.list()) say(`WARNING: ${notice}`);
  if (admin && !notices.adminMissing) process.stdout.write(`${firstLoginHint(admin, gatewayUrl)}\n\n`);
}

/** What was appended to a log file since `offset` (the file may be large; only the new part is read). */
function logSince(file: string, offset: number): string {
  const fd = openSync(file, 'r');
  try {
    const fresh = Buffer.alloc(Math.max(0, fstatSync(fd).size - offset));
    readSync(fd, fresh, 0, fresh.length, offset);
    return fresh.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
