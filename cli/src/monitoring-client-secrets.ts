import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { clientSecret } from './service-client-secret.js';

/** The monitoring engines that authenticate to the platform, each with a `client_secret_file`. */
export const monitoringClients = ['prometheus', 'alertmanager'] as const;

/**
 * Where `lift up` leaves each monitoring engine's client secret: Prometheus and Alertmanager read
 * a secret from a file of its own (`oauth2.client_secret_file`), not from SERVICE_CLIENT_SECRETS.
 * monitoring/prometheus/prometheus.native.yml and monitoring/alertmanager/alertmanager.native.yml
 * point here (relative to themselves, for a home that is the repository root).
 */
export function monitoringSecretFile(home: string, client: (typeof monitoringClients)[number]): string {
  return join(home, 'data', 'monitoring', `${client}.client-secret`);
}

/**
 * Writes each monitoring client's secret, as SERVICE_CLIENT_SECRETS has it (the environment's
 * setting over `.env.local`'s), into its own file readable by its owner only; a client without a
 * secret there gets no file (and an old file is removed, so a stale secret is never read).
 * Returns the files written.
 */
export function writeMonitoringClientSecrets(home: string, env: NodeJS.ProcessEnv): string[] {
  const envFile = join(home, '.env.local');
  const setting = env.SERVICE_CLIENT_SECRETS ?? (existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')).SERVICE_CLIENT_SECRETS : undefined);
  const written: string[] = [];
  for (const client of monitoringClients) {
    const file = monitoringSecretFile(home, client);
    const secret = clientSecret(setting, client);
    if (secret === undefined) {
      rmSync(file, { force: true });
      continue;
    }
    mkdirSync(join(home, 'data', 'monitoring'), { recursive: true, mode: 0o700 });
    // Written beside it and renamed, private from the first byte: never half a secret, never readable by others.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, secret, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
    written.push(file);
  }
  return written;
}
