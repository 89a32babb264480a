import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monitoringSecretFile, writeMonitoringClientSecrets } from '../src/monitoring-client-secrets.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

describe('the monitoring engines\' client secret files', () => {
  it('hold each engine\'s secret from .env.local alone, private, where the native configurations read them', () => {
    const home = scratch('lift-monitoring-');
    writeFileSync(join(home, '.env.local'), 'SERVICE_CLIENT_SECRETS=gateway:g,prometheus:p-secret,alertmanager:a-secret\n');
    const written = writeMonitoringClientSecrets(home, {});
    expect(written).toEqual([join(home, 'data/monitoring/prometheus.client-secret'), join(home, 'data/monitoring/alertmanager.client-secret')]);
    expect(readFileSync(monitoringSecretFile(home, 'prometheus'), 'utf8')).toBe('p-secret');
    expect(readFileSync(monitoringSecretFile(home, 'alertmanager'), 'utf8')).toBe('a-secret');
    for (const file of written) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'data/monitoring')).mode & 0o077).toBe(0);
    // monitoring/prometheus/prometheus.native.yml names it relative to itself: the repository root's data/.
    const native = readFileSync(new URL('../../monitoring/prometheus/prometheus.native.yml', import.meta.url), 'utf8');
    expect(native).toContain('client_secret_file: ../../data/monitoring/prometheus.client-secret');
    const alertmanager = readFileSync(new URL('../../monitoring/alertmanager/alertmanager.native.yml', import.meta.url), 'utf8');
    expect(alertmanager).toContain('client_secret_file: ../../data/monitoring/alertmanager.client-secret');
  });

  it('follow the environment\'s setting over the file, and leave no stale secret for a client it no longer names', () => {
    const home = scratch('lift-monitoring-');
    writeFileSync(join(home, '.env.local'), 'SERVICE_CLIENT_SECRETS=prometheus:from-file,alertmanager:from-file\n');
    writeMonitoringClientSecrets(home, {});
    expect(writeMonitoringClientSecrets(home, { SERVICE_CLIENT_SECRETS: 'prometheus:from-env' })).toEqual([monitoringSecretFile(home, 'prometheus')]);
    expect(readFileSync(monitoringSecretFile(home, 'prometheus'), 'utf8')).toBe('from-env');
    expect(existsSync(monitoringSecretFile(home, 'alertmanager'))).toBe(false);
  });
});
