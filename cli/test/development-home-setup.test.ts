import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { prepareDevelopmentHome } from '../src/setup-command.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('lift setup (prepareDevelopmentHome)', () => {
  it('makes .env.local from .env.example, private, with the admin and client secrets added, and a private data/', () => {
    const home = scratch('lift-setup-');
    const outcome = prepareDevelopmentHome(root, home, {});
    expect(outcome).toMatchObject({ envFileCreated: true, adminEmail: 'admin@lift.local' });
    const text = readFileSync(join(home, '.env.local'), 'utf8');
    expect(text.startsWith(readFileSync(join(root, '.env.example'), 'utf8'))).toBe(true);
    expect(parseEnv(text)).toMatchObject({ LIFT_ADMIN_PASSWORD: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/), SERVICE_CLIENT_SECRETS: expect.stringMatching(/^gateway:/) });
    expect(statSync(join(home, '.env.local')).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'data')).mode & 0o777).toBe(0o700);
  });

  it('never overwrites an existing .env.local, and a second run adds nothing', () => {
    const home = scratch('lift-setup-');
    writeFileSync(join(home, '.env.local'), 'LOG_LEVEL=debug\nLIFT_ADMIN_EMAIL=ops@example.com\nLIFT_ADMIN_PASSWORD=mine-and-long-enough\n', { mode: 0o600 });
    const first = prepareDevelopmentHome(root, home, {});
    expect(first).toMatchObject({ envFileCreated: false, adminEmail: 'ops@example.com' });
    const afterFirst = readFileSync(join(home, '.env.local'), 'utf8');
    expect(afterFirst.startsWith('LOG_LEVEL=debug\nLIFT_ADMIN_EMAIL=ops@example.com\nLIFT_ADMIN_PASSWORD=mine-and-long-enough\n')).toBe(true);
    prepareDevelopmentHome(root, home, {});
    expect(readFileSync(join(home, '.env.local'), 'utf8')).toBe(afterFirst);
  });

  // Regression: an existing .env.local other users could read was kept without a word.
  it('warns, naming the fix, when an existing .env.local is open to other users, and leaves its mode to the user', () => {
    const home = scratch('lift-setup-');
    // Complete (nothing left to add, which would make it private), then opened up.
    prepareDevelopmentHome(root, home, {});
    chmodSync(join(home, '.env.local'), 0o644);
    const run = spawnSync(process.execPath, [join(root, 'cli/bin/lift.js'), 'setup'], { env: { ...process.env, LIFT_HOME: home, NODE_ENV: 'development' }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`warning: ${join(home, '.env.local')} holds secrets but other users may open it (mode 0644); make it private with: chmod 600`);
    expect(statSync(join(home, '.env.local')).mode & 0o777).toBe(0o644);
  });

  it('generates no development admin for a production home', () => {
    const home = scratch('lift-setup-');
    const outcome = prepareDevelopmentHome(root, home, { NODE_ENV: 'production' });
    expect(outcome.adminEmail).toBeUndefined();
    expect(parseEnv(readFileSync(join(home, '.env.local'), 'utf8')).LIFT_ADMIN_PASSWORD).toBeUndefined();
  });
});
