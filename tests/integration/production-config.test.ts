import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess } from '../support/service-process.js';

describe('a service started with bad configuration', () => {
  it('stops in production when a required variable is missing, naming it, with exit code 1', async () => {
    const auth = startServiceProcess({ name: 'auth', port: await freePort(), env: { NODE_ENV: 'production', CORS_ORIGINS: 'https://app.lift.com' } });
    expect(await auth.exited).toBe(1);
    expect(auth.output().trim().split('\n')).toEqual([
      'auth: configuration error: DATABASE_URL: is required when NODE_ENV=production (the development default is refused)',
      // Links in account mail start with it: in production they must not point at localhost.
      'auth: configuration error: PUBLIC_URL: is required when NODE_ENV=production (the development default is refused)',
    ]);
  });

  it('refuses the development JWT secret and CORS_ORIGINS=* in production, one line each', async () => {
    const registry = startServiceProcess({
      name: 'registry',
      port: await freePort(),
      env: { NODE_ENV: 'production', DATABASE_URL: 'postgresql://lift@127.0.0.1:1/lift', CORS_ORIGINS: '*', JWT_SECRET: 'dev-secret-key' },
    });
    expect(await registry.exited).toBe(1);
    const lines = registry.output().trim().split('\n');
    expect(lines).toEqual([
      'registry: configuration error: CORS_ORIGINS: must list the allowed origins when NODE_ENV=production (* is refused)',
      'registry: configuration error: JWT_SECRET: is a published development secret; set a random one when NODE_ENV=production',
    ]);
  });

  it('names a malformed variable in any mode', async () => {
    const gateway = startServiceProcess({ name: 'gateway', port: await freePort(), env: { AUTH_SERVICE_URL: 'auth:8001', UPSTREAM_TIMEOUT_MS: 'soon' } });
    expect(await gateway.exited).toBe(1);
    const output = gateway.output();
    expect(output).toMatch(/^gateway: configuration error: AUTH_SERVICE_URL: /m);
    expect(output).toMatch(/^gateway: configuration error: UPSTREAM_TIMEOUT_MS: .*"soon"/m);
    expect(output).not.toContain('    at ');
  });

  // Issue #10 item 11: a rejected value was printed, secrets included.
  it('never prints a secret it refuses, only the variable and the problem', async () => {
    const registry = startServiceProcess({
      name: 'registry',
      port: await freePort(),
      env: { DATABASE_URL: 'mysql://lift:hunter2@db.internal/lift', SERVICE_CLIENT_SECRETS: 'registry:short-one' },
    });
    expect(await registry.exited).toBe(1);
    const output = registry.output();
    expect(output).toMatch(/^registry: configuration error: DATABASE_URL: .*\(got "mysql:\/\/\*\*\*@db\.internal\/lift"\)$/m);
    expect(output).toMatch(/^registry: configuration error: SERVICE_CLIENT_SECRETS: [^"]*$/m);
    expect(output).not.toContain('hunter2');
    expect(output).not.toContain('short-one');
  });
});
