import { chmodSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureDevelopmentAdmin, firstLoginHint, type DevelopmentAdmin } from '../src/development-admin.js';
import { replaceEnvFileLine } from '../src/private-env-file.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

describe('the development platform admin', () => {
  it('is generated once into .env.local, readable only by its owner', () => {
    const home = scratch('lift-admin-');
    writeFileSync(join(home, '.env.local'), 'LOG_LEVEL=debug\n');
    const first = ensureDevelopmentAdmin(home, {});
    expect(first).toMatchObject({ email: 'admin@lift.local', generatedPassword: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
    const saved = parseEnv(readFileSync(join(home, '.env.local'), 'utf8'));
    expect(saved).toMatchObject({ LOG_LEVEL: 'debug', LIFT_ADMIN_EMAIL: 'admin@lift.local', LIFT_ADMIN_PASSWORD: first?.generatedPassword });
    expect(saved.SERVICE_CLIENT_SECRETS).toMatch(/^gateway:[A-Za-z0-9_-]{32},auth:/);

    const second = ensureDevelopmentAdmin(home, {});
    expect(second).toEqual({ email: 'admin@lift.local', envFile: join(home, '.env.local'), source: `in ${join(home, '.env.local')}` });
    expect(readFileSync(join(home, '.env.local'), 'utf8').match(/LIFT_ADMIN_PASSWORD/g)).toHaveLength(1);
    expect(readFileSync(join(home, '.env.local'), 'utf8').match(/SERVICE_CLIENT_SECRETS/g)).toHaveLength(1);
  });

  it('creates .env.local with owner-only permissions when there is none', () => {
    const home = scratch('lift-admin-');
    ensureDevelopmentAdmin(home, {});
    expect(statSync(join(home, '.env.local')).mode & 0o777).toBe(0o600);
  });

  // Issue #10 item 12: appending secrets kept the mode of a file copied from .env.example.
  it('makes a copied .env.local private once it writes secrets into it', () => {
    const home = scratch('lift-admin-');
    writeFileSync(join(home, '.env.local'), 'LOG_LEVEL=debug\n', { mode: 0o644 });
    chmodSync(join(home, '.env.local'), 0o644);
    ensureDevelopmentAdmin(home, {});
    expect(statSync(join(home, '.env.local')).mode & 0o777).toBe(0o600);
  });

  it('uses what the environment sets, and does nothing in production', () => {
    const home = scratch('lift-admin-');
    // The summary names where the login comes from: here the environment, not the file.
    const fromEnvironment = ensureDevelopmentAdmin(home, { LIFT_ADMIN_EMAIL: 'ops@example.com', LIFT_ADMIN_PASSWORD: 'chosen' });
    expect(fromEnvironment).toEqual({ email: 'ops@example.com', envFile: join(home, '.env.local'), source: 'from the environment' });
    expect(firstLoginHint(fromEnvironment as DevelopmentAdmin, 'http://localhost:8000')).toMatch(/^platform admin: ops@example.com \(from the environment\)$/m);
    expect(firstLoginHint(fromEnvironment as DevelopmentAdmin, 'http://localhost:8000')).toMatch(/^sign in: http:\/\/localhost:8000\/console \(the web console\)$/m);
    expect(ensureDevelopmentAdmin(home, { NODE_ENV: 'production' })).toBeUndefined();
  });
});

describe('the services\' client secrets', () => {
  it('include the log shipper\'s and the monitoring engines\' when generated', () => {
    const home = scratch('lift-admin-');
    ensureDevelopmentAdmin(home, {});
    const secrets = parseEnv(readFileSync(join(home, '.env.local'), 'utf8')).SERVICE_CLIENT_SECRETS ?? '';
    expect(secrets.split(',').map((pair) => pair.split(':')[0])).toEqual(['gateway', 'auth', 'billing', 'memory', 'observability', 'registry', 'log-shipper', 'prometheus', 'alertmanager']);
  });

  it('gain the monitoring engines\' in a .env.local made before them, and only those missing', () => {
    const home = scratch('lift-admin-');
    const envFile = join(home, '.env.local');
    writeFileSync(envFile, 'SERVICE_CLIENT_SECRETS=gateway:g-secret,log-shipper:l-secret,alertmanager:a-secret\nLIFT_ADMIN_EMAIL=me@example.com\nLIFT_ADMIN_PASSWORD=pw\n');
    ensureDevelopmentAdmin(home, {});
    expect(parseEnv(readFileSync(envFile, 'utf8')).SERVICE_CLIENT_SECRETS).toMatch(/^gateway:g-secret,log-shipper:l-secret,alertmanager:a-secret,prometheus:[A-Za-z0-9_-]{32}$/);
  });

  it('gain the later clients\' in an older .env.local, the line rewritten in place, every other line kept, the file private', () => {
    const home = scratch('lift-admin-');
    const envFile = join(home, '.env.local');
    const before = ['# mine', 'LOG_LEVEL=debug', 'SERVICE_CLIENT_SECRETS=gateway:g-secret,auth:a-secret', 'LIFT_ADMIN_EMAIL=me@example.com', 'LIFT_ADMIN_PASSWORD=pw # comment', ''].join('\n');
    writeFileSync(envFile, before, { mode: 0o644 });
    chmodSync(envFile, 0o644);
    // The backup key from the environment: this is about the client secrets' line alone.
    const environment = { LIFT_BACKUP_KEY: 'a-backup-key-from-the-environment-0123456789' };
    ensureDevelopmentAdmin(home, environment);
    const after = readFileSync(envFile, 'utf8');
    const lines = after.split('\n');
    expect(lines[2]).toMatch(/^SERVICE_CLIENT_SECRETS=gateway:g-secret,auth:a-secret,log-shipper:[A-Za-z0-9_-]{32},prometheus:[A-Za-z0-9_-]{32},alertmanager:[A-Za-z0-9_-]{32}$/);
    expect(lines.filter((_, at) => at !== 2)).toEqual(before.split('\n').filter((_, at) => at !== 2));
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    ensureDevelopmentAdmin(home, environment);
    expect(readFileSync(envFile, 'utf8')).toBe(after);
  });

  it('leave a setting from the environment alone', () => {
    const home = scratch('lift-admin-');
    writeFileSync(join(home, '.env.local'), 'SERVICE_CLIENT_SECRETS=gateway:from-file\n');
    ensureDevelopmentAdmin(home, { SERVICE_CLIENT_SECRETS: 'gateway:from-env', LIFT_ADMIN_EMAIL: 'a@b.c', LIFT_ADMIN_PASSWORD: 'x', LIFT_BACKUP_KEY: 'a-backup-key-from-the-environment-0123456789' });
    expect(readFileSync(join(home, '.env.local'), 'utf8')).toBe('SERVICE_CLIENT_SECRETS=gateway:from-file\n');
  });
});

describe('rewriting one line of .env.local', () => {
  it('rewrites the file a symlinked .env.local points to, keeping the link', () => {
    const home = scratch('lift-admin-');
    writeFileSync(join(home, 'shared.env'), 'A=1\nSERVICE_CLIENT_SECRETS=gateway:g\nB=2\n');
    symlinkSync(join(home, 'shared.env'), join(home, '.env.local'));
    expect(replaceEnvFileLine(join(home, '.env.local'), 'SERVICE_CLIENT_SECRETS', 'gateway:g,log-shipper:s')).toBe(true);
    expect(lstatSync(join(home, '.env.local')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(home, 'shared.env'), 'utf8')).toBe('A=1\nSERVICE_CLIENT_SECRETS=gateway:g,log-shipper:s\nB=2\n');
    expect(statSync(join(home, 'shared.env')).mode & 0o777).toBe(0o600);
    expect(replaceEnvFileLine(join(home, '.env.local'), 'MISSING', 'x')).toBe(false);
    expect(replaceEnvFileLine(join(home, '.env.local'), 'B', 'has # and space')).toBe(true);
    expect(parseEnv(readFileSync(join(home, 'shared.env'), 'utf8')).B).toBe('has # and space');
  });
});
