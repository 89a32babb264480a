import { readFile } from 'node:fs/promises';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Environment } from './env-file.js';

/**
 * A configuration value may name a secret instead of holding it:
 *   vault:<path>#<key>    HashiCorp Vault KV v2 (VAULT_ADDR, VAULT_TOKEN, VAULT_KV_MOUNT=secret)
 *   aws-sm:<name>#<key>   AWS Secrets Manager (the SDK's usual region and credential chain)
 *   file:<path>           a mounted Docker/Kubernetes secret, trailing newline removed
 * They are resolved once at start, so a secret never sits in the environment of a process listing.
 */
export interface SecretReferenceContext {
  readonly env: Environment;
  readonly fetch?: typeof fetch;
  readonly secretsManager?: Pick<SecretsManagerClient, 'send'>;
}

export class SecretReferenceError extends Error {}

const referencePattern = /^(vault|aws-sm|file):(.+)$/;

export function isSecretReference(value: string): boolean {
  return referencePattern.test(value);
}

export async function resolveSecretReference(value: string, context: SecretReferenceContext): Promise<string> {
  const match = referencePattern.exec(value);
  if (!match) return value;
  const [, scheme, reference] = match as unknown as [string, string, string];
  switch (scheme) {
    case 'file':
      return readSecretFile(reference);
    case 'vault':
      return readVaultSecret(reference, context);
    default:
      return readAwsSecret(reference, context);
  }
}

function splitKey(reference: string, scheme: string): { path: string; key: string | undefined } {
  const hash = reference.lastIndexOf('#');
  if (hash === -1) return { path: reference, key: undefined };
  const path = reference.slice(0, hash);
  const key = reference.slice(hash + 1);
  if (path === '' || key === '') throw new SecretReferenceError(`${scheme} reference "${reference}" must look like ${scheme}:<path>#<key>`);
  return { path, key };
}

async function readSecretFile(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new SecretReferenceError(`cannot read secret file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function readVaultSecret(reference: string, context: SecretReferenceContext): Promise<string> {
  const { path, key } = splitKey(reference, 'vault');
  if (key === undefined) throw new SecretReferenceError(`vault reference "${reference}" needs a key: vault:<path>#<key>`);
  const address = context.env.VAULT_ADDR;
  const token = context.env.VAULT_TOKEN;
  if (!address || !token) throw new SecretReferenceError('vault references need VAULT_ADDR and VAULT_TOKEN');
  const mount = context.env.VAULT_KV_MOUNT ?? 'secret';
  const url = `${address.replace(/\/$/, '')}/v1/${mount}/data/${path.replace(/^\//, '')}`;
  const headers: Record<string, string> = { 'x-vault-token': token, accept: 'application/json' };
  if (context.env.VAULT_NAMESPACE) headers['x-vault-namespace'] = context.env.VAULT_NAMESPACE;
  const fetchImpl = context.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new SecretReferenceError(`vault at ${address} did not answer: ${(error as Error).message}`);
  }
  if (!response.ok) throw new SecretReferenceError(`vault answered ${response.status} for ${mount}/${path}`);
  const body = (await response.json()) as { data?: { data?: Record<string, unknown> } };
  const secret = body.data?.data?.[key];
  if (typeof secret !== 'string') throw new SecretReferenceError(`vault secret ${mount}/${path} has no string key "${key}"`);
  return secret;
}

async function readAwsSecret(reference: string, context: SecretReferenceContext): Promise<string> {
  const { path: secretId, key } = splitKey(reference, 'aws-sm');
  // Loaded only when a reference needs it: the SDK costs ~100 ms and megabytes at every start.
  const sdk = await import('@aws-sdk/client-secrets-manager');
  const ownClient = context.secretsManager ? undefined : new sdk.SecretsManagerClient({});
  const client = context.secretsManager ?? (ownClient as SecretsManagerClient);
  let secretString: string | undefined;
  try {
    const output = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
    secretString = output.SecretString;
  } catch (error) {
    throw new SecretReferenceError(`AWS Secrets Manager could not give ${secretId}: ${(error as Error).message}`);
  } finally {
    ownClient?.destroy();
  }
  if (secretString === undefined) throw new SecretReferenceError(`AWS secret ${secretId} has no SecretString`);
  if (key === undefined) return secretString;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new SecretReferenceError(`AWS secret ${secretId} is not JSON, so it has no key "${key}"`);
  }
  const value = (parsed as Record<string, unknown>)[key];
  if (typeof value !== 'string') throw new SecretReferenceError(`AWS secret ${secretId} has no string key "${key}"`);
  return value;
}
