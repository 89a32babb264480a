import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authConfigSchema } from '../../services/auth/src/config.js';
import { billingConfigSchema } from '../../services/billing/src/config.js';
import { gatewayConfigSchema } from '../../services/gateway/src/config.js';
import { memoryConfigSchema } from '../../services/memory/src/config.js';
import { observabilityConfigSchema } from '../../services/observability/src/config.js';
import { registryConfigSchema } from '../../services/registry/src/config.js';
import { repositoryRoot } from '../support/service-process.js';

// The seed's .env.example, variable by variable.
const seedVariables = [
  'GATEWAY_VERSION', 'AUTH_VERSION', 'MEMORY_VERSION', 'REGISTRY_VERSION', 'BILLING_VERSION', 'OBSERVABILITY_VERSION',
  'DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'JWT_EXPIRATION_HOURS', 'KSE_API_KEY', 'STRIPE_API_KEY',
  'PROMETHEUS_URL', 'GRAFANA_URL', 'DB_USER', 'DB_PASSWORD', 'CORS_ORIGINS', 'LOG_LEVEL',
];

// Read per service by PORT from the lift CLI or the orchestrator, never from a shared file.
const perProcessOnly = new Set(['PORT']);

/** Each documented variable (set or commented out) with the comment line above it. */
function documentedVariables(): Map<string, string> {
  const lines = readFileSync(join(repositoryRoot, '.env.example'), 'utf8').split('\n');
  const documented = new Map<string, string>();
  lines.forEach((line, index) => {
    const match = /^#?\s?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match) documented.set(match[1] as string, lines[index - 1] ?? '');
  });
  return documented;
}

describe('.env.example', () => {
  const documented = documentedVariables();

  it('keeps every variable of the seed', () => {
    expect(seedVariables.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('documents every variable a service reads', () => {
    const schemas = [authConfigSchema, billingConfigSchema, gatewayConfigSchema, memoryConfigSchema, observabilityConfigSchema, registryConfigSchema];
    const read = new Set(schemas.flatMap((schema) => Object.keys(schema.properties)));
    expect([...read].filter((name) => !perProcessOnly.has(name) && !documented.has(name))).toEqual([]);
  });

  it('gives each variable a one-line comment', () => {
    const uncommented = [...documented].filter(([, above]) => !above.startsWith('# ') || /^#\s?[A-Z][A-Z0-9_]*=/.test(above));
    expect(uncommented.map(([name]) => name)).toEqual([]);
  });
});
