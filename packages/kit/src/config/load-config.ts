import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Environment } from './env-file.js';
import { developmentOnlyJwtSecrets } from './base-config.js';
import { isSecretReference, resolveSecretReference, type SecretReferenceContext } from './secret-references.js';
import { quotedValue } from './secret-values.js';

/** Every problem with the configuration, one `VARIABLE: message` line each; never a secret's value. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigOptions {
  readonly env: Environment;
  /** Variables that have a development default but must be set explicitly in production. */
  readonly requiredInProduction?: readonly string[];
  readonly secrets?: Omit<SecretReferenceContext, 'env'>;
}

/**
 * Reads the schema's variables from the environment, resolves secret references, applies
 * defaults, converts types, validates, refuses development defaults in production and freezes.
 */
export async function loadConfig<T extends TObject>(schema: T, options: LoadConfigOptions): Promise<Readonly<Static<T>>> {
  const problems: string[] = [];
  const raw: Record<string, string> = {};
  const fromSecretReferences = new Set<string>();
  for (const name of Object.keys(schema.properties)) {
    const value = options.env[name];
    if (value === undefined || value === '') continue;
    if (!isSecretReference(value)) {
      raw[name] = value;
      continue;
    }
    fromSecretReferences.add(name);
    try {
      raw[name] = await resolveSecretReference(value, { env: options.env, ...options.secrets });
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }

  const isProduction = (raw.NODE_ENV ?? options.env.NODE_ENV) === 'production';
  if (isProduction) problems.push(...productionProblems(raw, options.requiredInProduction ?? []));

  const candidate = Value.Convert(schema, Value.Default(schema, { ...raw }));
  for (const error of Value.Errors(schema, candidate)) {
    const name = error.path.replace(/^\//, '') || '(config)';
    problems.push(`${name}: ${error.message}${quotedValue(name, raw[name], fromSecretReferences.has(name))}`);
  }
  problems.push(...shutdownProblems(candidate as Record<string, unknown>));
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  return Object.freeze(candidate as Static<T>);
}

function productionProblems(raw: Record<string, string>, requiredInProduction: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of requiredInProduction) {
    if (raw[name] === undefined) problems.push(`${name}: is required when NODE_ENV=production (the development default is refused)`);
  }
  if (raw.CORS_ORIGINS === undefined || raw.CORS_ORIGINS.split(',').some((origin) => origin.trim() === '*')) {
    problems.push('CORS_ORIGINS: must list the allowed origins when NODE_ENV=production (* is refused)');
  }
  if (raw.JWT_SECRET !== undefined && developmentOnlyJwtSecrets.includes(raw.JWT_SECRET)) {
    problems.push('JWT_SECRET: is a published development secret; set a random one when NODE_ENV=production');
  }
  return problems;
}

/**
 * The forced exit counts from SIGTERM, the delay included: a delay as long as the timeout would
 * end every shutdown in exit 1 with requests still in flight; so would an outbox drain that does
 * not fit after the delay, whenever the events' consumer is down at shutdown.
 */
function shutdownProblems(config: Record<string, unknown>): string[] {
  const { SHUTDOWN_DELAY_MS: delay, SHUTDOWN_TIMEOUT_MS: timeout, EVENT_OUTBOX_CLOSE_DRAIN_MS: drain } = config;
  if (typeof delay !== 'number' || typeof timeout !== 'number') return [];
  if (delay > 0 && delay >= timeout) {
    return [`SHUTDOWN_DELAY_MS: must be shorter than SHUTDOWN_TIMEOUT_MS (${timeout}), which counts from SIGTERM with the delay included, so in-flight requests have time to finish`];
  }
  if (typeof drain === 'number' && drain > 0 && delay + drain >= timeout) {
    return [`EVENT_OUTBOX_CLOSE_DRAIN_MS: with SHUTDOWN_DELAY_MS (${delay}) before it, must be shorter than SHUTDOWN_TIMEOUT_MS (${timeout}), which counts from SIGTERM; leave it unset to take what fits`];
  }
  return [];
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
