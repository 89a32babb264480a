import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';
import { closeWhenDone, startRecordingServer } from './helper.js';

const schema = Type.Object({ JWT_SECRET: Type.String(), DATABASE_PASSWORD: Type.Optional(Type.String()) });

describe('secret references resolved at start', () => {
  it('reads file: references (Docker and Kubernetes secrets) without the trailing newline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lift-secret-'));
    writeFileSync(join(dir, 'jwt'), 'from-a-file\n');
    const config = await loadConfig(schema, { env: { JWT_SECRET: `file:${join(dir, 'jwt')}` } });
    expect(config.JWT_SECRET).toBe('from-a-file');
  });

  it('names the variable when a file: reference cannot be read', async () => {
    const error = await loadConfig(schema, { env: { JWT_SECRET: 'file:/nonexistent/secret' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatch(/^JWT_SECRET: cannot read secret file \/nonexistent\/secret: ENOENT/);
  });

  // No Vault server can be installed here: a local server answers as Vault's KV v2 HTTP API does
  // (GET /v1/<mount>/data/<path>, X-Vault-Token, { data: { data: {...}, metadata } }).
  it('reads vault: references from a KV v2 engine with the token', async () => {
    const vault = await startRecordingServer((request) => {
      if (request.headers['x-vault-token'] !== 's.test-token') return { status: 403, body: '{"errors":["permission denied"]}' };
      if (request.url === '/v1/secret/data/lift-os/jwt') return { body: JSON.stringify({ data: { data: { key: 'from-vault' }, metadata: { version: 3 } } }) };
      return { status: 404, body: '{"errors":[]}' };
    });
    const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: 's.test-token', JWT_SECRET: 'vault:lift-os/jwt#key' };
    expect((await loadConfig(schema, { env })).JWT_SECRET).toBe('from-vault');

    const missing = await loadConfig(schema, { env: { ...env, JWT_SECRET: 'vault:lift-os/other#key' } }).catch((caught: unknown) => caught);
    expect((missing as ConfigError).problems[0]).toBe('JWT_SECRET: vault answered 404 for secret/lift-os/other');
    const wrongKey = await loadConfig(schema, { env: { ...env, JWT_SECRET: 'vault:lift-os/jwt#nope' } }).catch((caught: unknown) => caught);
    expect((wrongKey as ConfigError).problems[0]).toBe('JWT_SECRET: vault secret secret/lift-os/jwt has no string key "nope"');
  });

  // No AWS here: a local server answers GetSecretValue as Secrets Manager's JSON 1.1 protocol
  // does, and the official SDK client talks to it.
  it('reads aws-sm: references through the AWS SDK', async () => {
    const secretsManager = await startRecordingServer((request) => {
      const target = request.headers['x-amz-target'];
      const { SecretId } = JSON.parse(request.body) as { SecretId: string };
      if (target !== 'secretsmanager.GetSecretValue' || SecretId !== 'lift-os/database') {
        return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Secrets Manager can\'t find the specified secret.' }) };
      }
      return {
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:lift-os/database', Name: SecretId, SecretString: JSON.stringify({ password: 'from-aws' }), VersionId: 'v1' }),
      };
    });
    const client = new SecretsManagerClient({ region: 'eu-west-1', endpoint: secretsManager.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    closeWhenDone(async () => client.destroy());

    const config = await loadConfig(schema, { env: { JWT_SECRET: 'plain', DATABASE_PASSWORD: 'aws-sm:lift-os/database#password' }, secrets: { secretsManager: client } });
    expect(config.DATABASE_PASSWORD).toBe('from-aws');
    expect(secretsManager.received[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);

    const missing = await loadConfig(schema, { env: { JWT_SECRET: 'aws-sm:lift-os/absent#key' }, secrets: { secretsManager: client } }).catch((caught: unknown) => caught);
    expect((missing as ConfigError).problems[0]).toMatch(/^JWT_SECRET: AWS Secrets Manager could not give lift-os\/absent: /);
  });
});
