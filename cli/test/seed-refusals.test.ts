import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedCommand } from '../src/seed-command.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

const root = fileURLToPath(new URL('../../', import.meta.url));

function homeWith(envLocal: string): string {
  const home = scratch('lift-seed-');
  writeFileSync(join(home, '.env.local'), envLocal, { mode: 0o600 });
  return home;
}

/** What the command wrote on stderr while it ran. */
async function errorsOf(run: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const code = await run();
  return { code, stderr };
}

describe('lift seed refuses, saying why', () => {
  afterEach(() => vi.restoreAllMocks());

  it('in production', async () => {
    const home = homeWith('LIFT_ADMIN_EMAIL=a@example.com\nLIFT_ADMIN_PASSWORD=long-enough-password\n');
    const result = await errorsOf(() => seedCommand({ root, home, gatewayUrl: 'http://127.0.0.1:9', env: { NODE_ENV: 'production' } }));
    expect(result).toEqual({ code: 1, stderr: 'lift: NODE_ENV is production: demo accounts do not belong in a production installation\n' });
  });

  // Regression: the production guard read the local settings only, so a laptop could seed a
  // production gateway named with --gateway.
  it('for a gateway on another machine, unless asked with --allow-remote', async () => {
    const home = homeWith('LIFT_ADMIN_EMAIL=a@example.com\nLIFT_ADMIN_PASSWORD=long-enough-password\n');
    for (const gatewayUrl of ['https://lift.example.com', 'http://10.0.0.5:8000', 'http://127.0.0.1.nip.io:8000']) {
      const result = await errorsOf(() => seedCommand({ root, home, gatewayUrl, env: {} }));
      expect(result.code, gatewayUrl).toBe(1);
      expect(result.stderr).toContain('is not on this machine');
    }
    const allowed = await errorsOf(() => seedCommand({ root, home, gatewayUrl: 'http://127.0.0.1:9', allowRemote: false, env: {} }));
    expect(allowed.stderr).not.toContain('is not on this machine');
    const asked = await errorsOf(() => seedCommand({ root, home, gatewayUrl: 'http://0.0.0.0:9', allowRemote: true, env: {} }));
    expect(asked.stderr).not.toContain('is not on this machine');
  });

  it('without a platform admin to act as', async () => {
    const home = homeWith('LOG_LEVEL=info\n');
    const result = await errorsOf(() => seedCommand({ root, home, gatewayUrl: 'http://127.0.0.1:9', env: {} }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('LIFT_ADMIN_EMAIL and LIFT_ADMIN_PASSWORD are not set');
    expect(result.stderr).toContain('run "lift setup" first');
  });

  it('when the gateway does not answer', async () => {
    const home = homeWith('LIFT_ADMIN_EMAIL=a@example.com\nLIFT_ADMIN_PASSWORD=long-enough-password\n');
    // Port 9 (discard) has no listener here: the connection is refused at once.
    const result = await errorsOf(() => seedCommand({ root, home, gatewayUrl: 'http://127.0.0.1:9', env: {} }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lift: the gateway at http:\/\/127\.0\.0\.1:9 does not answer \(.*\); is the platform up \("lift up --detach"\)\?\n$/);
  });
});
