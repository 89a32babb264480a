import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { baseConfigProperties, ConfigError, databaseConfigProperties, environmentWithEnvFile, loadConfig, tokenVerificationConfigProperties } from '../src/index.js';

const schema = Type.Object({
  ...baseConfigProperties(8001),
  ...databaseConfigProperties(),
  RETRIES: Type.Integer({ minimum: 0, default: 3 }),
  FEATURE_ON: Type.Boolean({ default: false }),
});

async function problemsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

describe('loading configuration', () => {
  it('applies defaults and converts types', async () => {
    const config = await loadConfig(schema, { env: { PORT: '9001', FEATURE_ON: 'true', LOG_LEVEL: 'DEBUG' } });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 9001,
      RETRIES: 3,
      FEATURE_ON: true,
      LOG_LEVEL: 'DEBUG',
      DATABASE_URL: 'sqlite:///data/lift.db',
      CORS_ORIGINS: '*',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable with what was given', async () => {
    const problems = await problemsOf(loadConfig(schema, { env: { PORT: 'eighty', RETRIES: '-1', DATABASE_URL: 'mysql://x' } }));
    expect(problems.some((line) => line.startsWith('PORT: ') && line.includes('"eighty"'))).toBe(true);
    expect(problems.some((line) => line.startsWith('RETRIES: '))).toBe(true);
    expect(problems.some((line) => line.startsWith('DATABASE_URL: '))).toBe(true);
  });

  it('treats an empty variable as unset', async () => {
    const config = await loadConfig(schema, { env: { PORT: '' } });
    expect(config.PORT).toBe(8001);
  });

  it('reads .env.local under the real environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lift-env-'));
    const file = join(dir, '.env.local');
    writeFileSync(file, '# local settings\nPORT=9100\nLOG_LEVEL=debug\nJWT_SECRET="quoted value"\n');
    const env = environmentWithEnvFile({ PORT: '9200' }, file);
    expect(env.PORT).toBe('9200');
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env.JWT_SECRET).toBe('quoted value');
    expect(environmentWithEnvFile({ A: '1' }, join(dir, 'missing'))).toEqual({ A: '1' });
  });
});

describe('shutdown settings', () => {
  // Regression: a delay as long as the timeout made every SIGTERM end in "shutdown took too long", exit 1.
  it('refuses a SHUTDOWN_DELAY_MS that leaves no time before the forced exit', async () => {
    expect(await problemsOf(loadConfig(schema, { env: { SHUTDOWN_DELAY_MS: '10000' } }))).toEqual([
      'SHUTDOWN_DELAY_MS: must be shorter than SHUTDOWN_TIMEOUT_MS (10000), which counts from SIGTERM with the delay included, so in-flight requests have time to finish',
    ]);
    await expect(loadConfig(schema, { env: { SHUTDOWN_DELAY_MS: '3000', SHUTDOWN_TIMEOUT_MS: '20000' } })).resolves.toMatchObject({ SHUTDOWN_DELAY_MS: 3000 });
    await expect(loadConfig(schema, { env: { SHUTDOWN_TIMEOUT_MS: '0' } })).resolves.toMatchObject({ SHUTDOWN_DELAY_MS: 0 });
  });
});

// Only the gateway balances over several instances; every other service calls one address, and
// a list there would have built broken URLs (`http://a:8001,http://b:8101/.well-known/jwks.json`).
describe('peer service addresses', () => {
  it('takes one URL where a service calls a peer, and refuses a list naming the variable', async () => {
    const verifier = Type.Object({ ...baseConfigProperties(8002), ...tokenVerificationConfigProperties() });
    await expect(loadConfig(verifier, { env: { AUTH_SERVICE_URL: 'http://auth:8001' } })).resolves.toMatchObject({ AUTH_SERVICE_URL: 'http://auth:8001' });
    const problems = await problemsOf(loadConfig(verifier, { env: { AUTH_SERVICE_URL: 'http://127.0.0.1:8001,http://127.0.0.1:8101' } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AUTH_SERVICE_URL: /);
  });
});

describe('production refuses development defaults', () => {
  const productionEnv = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/lift', CORS_ORIGINS: 'https://app.lift.com' };

  it('accepts explicit production settings', async () => {
    const config = await loadConfig(schema, { env: productionEnv, requiredInProduction: ['DATABASE_URL'] });
    expect(config.NODE_ENV).toBe('production');
  });

  it('requires variables whose default is for development only', async () => {
    const { DATABASE_URL: _omitted, ...env } = productionEnv;
    const problems = await problemsOf(loadConfig(schema, { env, requiredInProduction: ['DATABASE_URL'] }));
    expect(problems).toEqual(['DATABASE_URL: is required when NODE_ENV=production (the development default is refused)']);
  });

  it('refuses CORS_ORIGINS=* and unset', async () => {
    expect(await problemsOf(loadConfig(schema, { env: { ...productionEnv, CORS_ORIGINS: '*' } }))).toEqual([
      'CORS_ORIGINS: must list the allowed origins when NODE_ENV=production (* is refused)',
    ]);
    const { CORS_ORIGINS: _omitted, ...env } = productionEnv;
    expect((await problemsOf(loadConfig(schema, { env })))[0]).toMatch(/^CORS_ORIGINS: /);
  });

  it('refuses the published development JWT secrets', async () => {
    const problems = await problemsOf(loadConfig(schema, { env: { ...productionEnv, JWT_SECRET: 'dev-secret-key-not-for-production' } }));
    expect(problems).toEqual(['JWT_SECRET: is a published development secret; set a random one when NODE_ENV=production']);
  });
});
