import { installationSettings } from './installation-settings.js';
import { serviceOfProcess } from './instance-layout.js';
import { defaultLogFileMaxBytes, RotatingLogFile, serviceLogFile } from './log-files.js';
import { logRecordOf } from './log-record.js';
import { observabilityLogSender, shipperRequestIdPrefix, type ShipperTokens } from './log-sender.js';
import { LogShipper, type LogShippingStats } from './log-shipper.js';
import { clientSecret } from './service-client-secret.js';

export interface LogSinksOptions {
  readonly home: string;
  readonly services: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly say: (line: string) => void;
}

/** Where the supervised services' lines go besides the terminal: their files, and observability. */
export interface LogSinks {
  line(service: string, line: string, stream: 'stdout' | 'stderr'): void;
  /** Undefined when lines are not shipped (observability not run, or no log-shipper secret). */
  shipping(): LogShippingStats | undefined;
  close(): Promise<void>;
}

/**
 * Opens each service's log file and, when observability is among the services run, a shipper to
 * it with the `log-shipper` client's token (see `shippable` for the lines it keeps back). A file
 * that cannot be written (disk full) is said once and the lines go on to the terminal.
 */
export async function openLogSinks(options: LogSinksOptions): Promise<LogSinks> {
  const settings = installationSettings(options.home, options.env);
  const maxBytes = Number(settings.LIFT_LOG_FILE_MAX_BYTES) > 0 ? Number(settings.LIFT_LOG_FILE_MAX_BYTES) : defaultLogFileMaxBytes;
  const files = new Map<string, RotatingLogFile>();
  const failedFiles = new Set<string>();
  const shipping = options.services.map(serviceOfProcess).includes('observability') ? await shipperFor(settings, options.say) : undefined;
  const shipper = shipping?.shipper;
  const reporter = dropReporter(options.say);
  const dropReport = setInterval(() => reporter(shipper?.stats().dropped ?? 0, Date.now()), 10_000);
  dropReport.unref();
  return {
    line(service, line, stream) {
      const record = logRecordOf(serviceOfProcess(service), line, stream);
      if (record === undefined) return;
      if (!failedFiles.has(service)) {
        let file = files.get(service);
        if (!file) files.set(service, (file = new RotatingLogFile(serviceLogFile(options.home, service), maxBytes)));
        try {
          file.write(`${record}\n`);
        } catch (error) {
          failedFiles.add(service);
          options.say(`cannot write ${file.path} (${(error as Error).message}); ${service}'s lines go on to the terminal${shipper ? ' and observability' : ''} only`);
        }
      }
      if (shipper && shippable(service, record)) shipper.push(record);
    },
    shipping: () => shipper?.stats(),
    async close() {
      clearInterval(dropReport);
      await shipper?.close(3_000);
      // The HTTP client waits for calls in flight; a dying auth or observability must not hold the shutdown up.
      if (shipping) await Promise.race([shipping.release(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      for (const file of files.values()) file.close();
    },
  };
}

/**
 * Whether a line goes to observability: every line but observability's own about the batches it
 * was sent (their request ids are the shipper's, see log-sender.ts) — shipped back, each batch would
 * log a line that makes the next batch. Its other lines (probes, alerts, requests people make of it)
 * are shipped, so one request's lines are found across all six services.
 */
export function shippable(service: string, record: string): boolean {
  return serviceOfProcess(service) !== 'observability' || !record.includes(`"reqId":"${shipperRequestIdPrefix}`);
}

/**
 * Says when lines were dropped, at most once a minute: an observability away for an hour should
 * not fill the terminal with the same line.
 */
export function dropReporter(say: (line: string) => void): (dropped: number, now: number) => void {
  let reported = 0;
  let reportedAt = Number.NEGATIVE_INFINITY;
  return (dropped, now) => {
    if (dropped === reported || now - reportedAt < 60_000) return;
    say(`log shipping dropped ${dropped - reported} lines (observability slow or away; ${dropped} since the start). The files in data/logs have them all.`);
    reported = dropped;
    reportedAt = now;
  };
}

async function shipperFor(settings: Record<string, string | undefined>, say: (line: string) => void): Promise<{ shipper: LogShipper; release: () => Promise<void> } | undefined> {
  const secret = clientSecret(settings.SERVICE_CLIENT_SECRETS, 'log-shipper');
  if (secret === undefined) {
    say('log shipping to observability is off: SERVICE_CLIENT_SECRETS has no log-shipper secret (the log files in data/logs are written)');
    return undefined;
  }
  // The kit's client-credentials token source, loaded at the first batch rather than before the
  // services start: importing the kit takes ~0.9 s and ~100 MB, which should not delay them.
  let loaded: Promise<{ tokens: ShipperTokens; close: () => Promise<void> }> | undefined;
  const load = () =>
    (loaded ??= import('@lift/kit').then((kit) => {
      const http = kit.createHttpClient({ service: 'lift-log-shipper', version: '0.1.0' });
      const tokens = kit.serviceTokenSource({ http, authUrl: settings.AUTH_SERVICE_URL ?? 'http://127.0.0.1:8001', clientId: 'log-shipper', clientSecret: secret, clock: kit.systemClock });
      return { tokens, close: () => http.close() };
    }));
  const tokens: ShipperTokens = {
    token: async () => (await load()).tokens.token(),
    refused: (token) => void load().then((source) => source.tokens.refused(token)),
  };
  const send = observabilityLogSender({ observabilityUrl: settings.OBSERVABILITY_SERVICE_URL ?? 'http://127.0.0.1:8004', tokens });
  return { shipper: new LogShipper({ send }), release: async () => (loaded ? (await loaded).close() : undefined) };
}

