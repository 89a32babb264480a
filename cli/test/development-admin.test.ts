import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureDevelopmentAdmin, firstLoginHint, type DevelopmentAdmin } from '../src/development-admin.js';

describe('the development platform admin', () => {
  it('is generated once into .env.local, readable only by its owner', () => {
    const home = mkdtempSync(join(tmpdir(), 'lift-admin-'));
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
    const home = mkdtempSync(join(tmpdir(), 'lift-admin-'));
    ensureDevelopmentAdmin(home, {});
    expect(statSync(join(home, '.env.local')).mode & 0o777).toBe(0o600);
  });

  // Issue #10 item 12: appending secrets kept the mode of a file copied from .env.example.
  it('makes a copied .env.local private once it writes secrets into it', () => {
    const home = mkdtempSync(join(tmpdir(), 'lift-admin-'));
    writeFileSync(join(home, '.env.local'), 'LOG_LEVEL=debug\n', { mode: 0o644 });
    chmodSync(join(home, '.env.local'), 0o644);
    ensureDevelopmentAdmin(home, {});
    expect(statSync(join(home, '.env.local')).mode & 0o777).toBe(0o600);
  });

  it('uses what the environment sets, and does nothing in production', () => {
    const home = mkdtempSync(join(tmpdir(), 'lift-admin-'));
    // The summary names where the login comes from: here the environment, not the file.
    const fromEnvironment = ensureDevelopmentAdmin(home, { LIFT_ADMIN_EMAIL: 'ops@example.com', LIFT_ADMIN_PASSWORD: 'chosen' });
    expect(fromEnvironment).toEqual({ email: 'ops@example.com', envFile: join(home, '.env.local'), source: 'from the environment' });
    expect(firstLoginHint(fromEnvironment as DevelopmentAdmin, 'http://localhost:8000')).toMatch(/^platform admin: ops@example.com \(from the environment\)$/m);
    expect(ensureDevelopmentAdmin(home, { NODE_ENV: 'production' })).toBeUndefined();
  });
});
