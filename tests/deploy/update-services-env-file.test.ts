import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { scratchDirectories } from '../support/scratch-directories.js';

const scratch = scratchDirectories();

function updateServices(...args: string[]) {
  const result = spawnSync('bash', [join(repositoryRoot, 'scripts/update-services.sh'), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function productionEnvFile(text: string): string {
  const file = join(scratch('lift-update-'), '.env');
  writeFileSync(file, text);
  chmodSync(file, 0o600);
  return file;
}

const engineRunning = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;

describe('update-services.sh and .env', () => {
  it('sets <SERVICE>_VERSION, keeps the old tag as <SERVICE>_PREVIOUS_VERSION, and leaves every other line and the file mode alone', () => {
    const file = productionEnvFile('# production\nAUTH_VERSION=1.1.0\nDB_PASSWORD="s3cret with space"\nMEMORY_VERSION=2.0.0\n');
    const result = updateServices('auth', '1.2.0', '--env-file', file, '--env-only');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('AUTH_VERSION: 1.1.0 -> 1.2.0');
    expect(readFileSync(file, 'utf8')).toBe('# production\nAUTH_VERSION=1.2.0\nDB_PASSWORD="s3cret with space"\nMEMORY_VERSION=2.0.0\nAUTH_PREVIOUS_VERSION=1.1.0\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('goes back with --rollback, and forward again with another --rollback', () => {
    const file = productionEnvFile('AUTH_VERSION=1.1.0\n');
    expect(updateServices('auth', '1.2.0', '--env-file', file, '--env-only').code).toBe(0);
    expect(updateServices('--rollback', 'auth', '--env-file', file, '--env-only').code).toBe(0);
    expect(parseEnv(readFileSync(file, 'utf8'))).toMatchObject({ AUTH_VERSION: '1.1.0', AUTH_PREVIOUS_VERSION: '1.2.0' });
    expect(updateServices('--rollback', 'auth', '--env-file', file, '--env-only').code).toBe(0);
    expect(parseEnv(readFileSync(file, 'utf8'))).toMatchObject({ AUTH_VERSION: '1.2.0', AUTH_PREVIOUS_VERSION: '1.1.0' });
  });

  // Regression: a quoted tag or one with a comment after it became AUTH_PREVIOUS_VERSION as it was
  // written ('2.0' with its quotes, "1.0 # pinned"), and --rollback then refused it.
  it('reads a quoted tag, or one followed by a comment, as Compose does, and rolls back to it', () => {
    const file = productionEnvFile("AUTH_VERSION=1.0 # pinned\nGATEWAY_VERSION='2.0'\nMEMORY_VERSION=\"3.0\"\n");
    expect(updateServices('auth', '1.1', '--env-file', file, '--env-only').code).toBe(0);
    expect(updateServices('gateway', '2.1', '--env-file', file, '--env-only').code).toBe(0);
    expect(updateServices('memory', '3.1', '--env-file', file, '--env-only').code).toBe(0);
    expect(parseEnv(readFileSync(file, 'utf8'))).toMatchObject({ AUTH_PREVIOUS_VERSION: '1.0', GATEWAY_PREVIOUS_VERSION: '2.0', MEMORY_PREVIOUS_VERSION: '3.0' });
    const rollback = updateServices('--rollback', 'gateway', '--env-file', file, '--env-only');
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(parseEnv(readFileSync(file, 'utf8'))).toMatchObject({ GATEWAY_VERSION: '2.0', GATEWAY_PREVIOUS_VERSION: '2.1' });
  });

  it('refuses to record a current value that is not an image tag', () => {
    const file = productionEnvFile('AUTH_VERSION=$(id)\n');
    const result = updateServices('auth', '1.1', '--env-file', file, '--env-only');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not an image tag');
    expect(readFileSync(file, 'utf8')).toBe('AUTH_VERSION=$(id)\n');
  });

  it('adds the line when .env has none (the compose default was latest)', () => {
    const file = productionEnvFile('LOG_LEVEL=info\n');
    expect(updateServices('billing', 'abc1234', '--env-file', file, '--env-only').code).toBe(0);
    expect(parseEnv(readFileSync(file, 'utf8'))).toMatchObject({ LOG_LEVEL: 'info', BILLING_VERSION: 'abc1234', BILLING_PREVIOUS_VERSION: 'latest' });
  });

  it('refuses a rollback with no earlier version, and changes nothing for the version it already runs', () => {
    const file = productionEnvFile('REGISTRY_VERSION=3.0.0\n');
    const rollback = updateServices('--rollback', 'registry', '--env-file', file, '--env-only');
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toContain('REGISTRY_PREVIOUS_VERSION is not set');
    const same = updateServices('registry', '3.0.0', '--env-file', file, '--env-only');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('registry is at 3.0.0 already');
    expect(readFileSync(file, 'utf8')).toBe('REGISTRY_VERSION=3.0.0\n');
  });

  it('says production reads .env when there is none', () => {
    const result = updateServices('auth', '1.2.0', '--env-file', join(tmpdir(), 'no-such-dir-lift', '.env'), '--env-only');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('production reads .env');
  });

  it.skipIf(engineRunning)('leaves .env untouched when no container engine runs to apply the change', () => {
    const file = productionEnvFile('AUTH_VERSION=1.1.0\n');
    const result = updateServices('auth', '1.2.0', '--env-file', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'docker info' failed");
    expect(readFileSync(file, 'utf8')).toBe('AUTH_VERSION=1.1.0\n');
  });
});
