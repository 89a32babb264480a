import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { baseConfigProperties, ConfigError, databaseConfigProperties, loadConfig } from '../src/index.js';

const schema = Type.Object({
  ...baseConfigProperties(8001),
  ...databaseConfigProperties(),
  STRIPE_API_KEY: Type.Optional(Type.String({ pattern: '^sk_' })),
  LIFT_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 12 })),
  VAULT_TOKEN: Type.Optional(Type.String({ pattern: '^hvs\\.' })),
  SMTP_CREDENTIALS: Type.Optional(Type.String({ pattern: '^[a-z]+:' })),
});

async function messageOf(env: Record<string, string>): Promise<string> {
  const error = await loadConfig(schema, { env }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

// Issue #10 item 11: a rejected value was printed as `(got "…")`, secrets included.
describe('configuration errors', () => {
  it('name a secret variable and its problem, never its value', async () => {
    const secrets = {
      STRIPE_API_KEY: 'rk_live_51Hx-stripe-secret',
      LIFT_ADMIN_PASSWORD: 'pw-secret',
      VAULT_TOKEN: 's.vault-token-secret',
      SMTP_CREDENTIALS: 'NOT:smtp-credential-secret',
      SERVICE_CLIENT_SECRETS: 'gateway:client-secret',
    };
    const message = await messageOf(secrets);
    for (const [name, value] of Object.entries(secrets)) {
      expect(message, name).toMatch(new RegExp(`^${name}: `, 'm'));
      expect(message, name).not.toContain(value);
      expect(message, name).not.toContain('secret"');
    }
  });

  it('show a URL with its credentials replaced', async () => {
    const message = await messageOf({ DATABASE_URL: 'mysql://lift:hunter2@db.internal:3306/lift', REDIS_URL: 'http://:hunter3@redis.internal:6379/0' });
    expect(message).toContain('DATABASE_URL: ');
    expect(message).toContain('(got "mysql://***@db.internal:3306/lift")');
    expect(message).toContain('(got "http://***@redis.internal:6379/0")');
    expect(message).not.toMatch(/hunter[23]/);
  });

  it('hide user information in URLs without a scheme, and passwords that contain @ themselves', async () => {
    const message = await messageOf({ DATABASE_URL: 'u:Pw1@host/db', REDIS_URL: 'default:Pw2@redis:6379' });
    expect(message).toContain('(got "***@host/db")');
    expect(message).toContain('(got "***@redis:6379")');
    expect(message).not.toMatch(/Pw[12]/);
    const atInPassword = await messageOf({ REDIS_URL: 'http://u:Super Secret@Pass@redis:6379' });
    expect(atInPassword).toContain('(got "http://***@redis:6379")');
    expect(atInPassword).not.toMatch(/Secret|Pass@/);
  });

  it('never show a value that came from a secret reference, whatever the variable is called', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lift-config-'));
    writeFileSync(join(dir, 'port'), 'resolved-secret-value\n');
    const message = await messageOf({ PORT: `file:${join(dir, 'port')}` });
    expect(message).toMatch(/^PORT: Expected integer$/m);
    expect(message).not.toContain('resolved-secret-value');
  });

  it('still show what was given for ordinary variables', async () => {
    expect(await messageOf({ PORT: 'eighty' })).toContain('PORT: Expected integer (got "eighty")');
  });
});
