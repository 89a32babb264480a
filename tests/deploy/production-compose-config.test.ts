import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@lift/kit';
import { skipUnless } from '../support/skip-rule.js';
import { composeProject, hasDockerCompose, scratchSecrets } from './compose-project.js';
import { seedService, seedServices } from './seed-services.js';

// The services refuse development defaults in production (a missing DATABASE_URL or PUBLIC_URL,
// CORS_ORIGINS=*, a published JWT secret) and resolve file: references at start. This loads each
// service's configuration from exactly what docker-compose.prod.yml gives it — the secrets from
// scratch files standing in for /run/secrets — as the service does at start.
const skip = skipUnless(hasDockerCompose(), 'the production compose file against the services\' configuration loader', 'docker-compose (Debian package docker-compose)');

/** A file: reference to /run/secrets/<name> redirected to the scratch copy of that secret. */
function withScratchSecrets(environment: Record<string, string | null>, secretsDir: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([variable, value]) => [variable, (value ?? '').replace(/^file:\/run\/secrets\//, `file:${secretsDir}/`)]),
  );
}

describe.skipIf(skip)('docker-compose.prod.yml gives every service a configuration production accepts', () => {
  const project = composeProject();
  const secretsDir = mkdtempSync(join(tmpdir(), 'lift-secrets-'));
  for (const [name, value] of Object.entries(scratchSecrets)) writeFileSync(join(secretsDir, name), `${value}\n`);
  afterAll(() => {
    project.remove();
    rmSync(secretsDir, { recursive: true, force: true });
  });
  const config = project.resolved(['docker-compose.prod.yml']);

  it.each(seedServices)('$name starts with it', async ({ name, schema, requiredInProduction }) => {
    const env = withScratchSecrets(config.services[name]?.environment ?? {}, secretsDir);
    const loaded = await loadConfig(schema, { env, requiredInProduction }).catch((error: unknown) => {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    });
    expect(Array.isArray(loaded) ? loaded : []).toEqual([]);
    const values = loaded as Record<string, unknown>;
    expect(values.NODE_ENV).toBe('production');
    if ('DATABASE_URL' in schema.properties) expect(values.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgres:5432\//);
    expect(values.REDIS_URL).toBe('redis://redis:6379');
  });

  it('gives auth the first admin and every client\'s secret, and each other service only its own', async () => {
    const secretsOf = (name: string) => withScratchSecrets(config.services[name]?.environment ?? {}, secretsDir).SERVICE_CLIENT_SECRETS;
    const auth = (await loadConfig(seedService('auth').schema, { env: withScratchSecrets(config.services.auth?.environment ?? {}, secretsDir) })) as Record<string, string>;
    expect(auth.LIFT_ADMIN_EMAIL).toBe('admin@example.com');
    expect(auth.LIFT_ADMIN_PASSWORD).toBe(scratchSecrets.lift_admin_password);
    expect(auth.SERVICE_CLIENT_SECRETS?.split(',').map((pair) => pair.split(':')[0])).toEqual(expect.arrayContaining(seedServices.map((service) => service.name)));
    for (const { name } of seedServices.filter((service) => service.name !== 'auth')) {
      expect(secretsOf(name)).toBe(`file:${secretsDir}/${name}_client_secret`);
      // Each service's own pair is the one auth knows it by.
      expect(scratchSecrets.service_client_secrets.split(',')).toContain(scratchSecrets[`${name}_client_secret` as keyof typeof scratchSecrets]);
    }
  });
});
