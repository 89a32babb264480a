import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TObject } from '@sinclair/typebox';
import { authConfigSchema } from '../../services/auth/src/config.js';
import { billingConfigSchema } from '../../services/billing/src/config.js';
import { gatewayConfigSchema } from '../../services/gateway/src/config.js';
import { memoryConfigSchema } from '../../services/memory/src/config.js';
import { observabilityConfigSchema } from '../../services/observability/src/config.js';
import { registryConfigSchema } from '../../services/registry/src/config.js';
import { repositoryRoot } from '../support/service-process.js';

/** One of the six services as the deployment files must see it. */
export interface SeedService {
  readonly name: string;
  /** The seed's port, which never changes (DESIGN.md). */
  readonly port: number;
  readonly schema: TObject;
  /** As the service's main.ts passes to runService; kept alike by hand (main.ts exports nothing). */
  readonly requiredInProduction: readonly string[];
}

export const seedServices: readonly SeedService[] = [
  { name: 'gateway', port: 8000, schema: gatewayConfigSchema, requiredInProduction: [] },
  { name: 'auth', port: 8001, schema: authConfigSchema, requiredInProduction: ['DATABASE_URL', 'PUBLIC_URL'] },
  { name: 'billing', port: 8002, schema: billingConfigSchema, requiredInProduction: ['DATABASE_URL'] },
  { name: 'memory', port: 8003, schema: memoryConfigSchema, requiredInProduction: ['DATABASE_URL'] },
  { name: 'observability', port: 8004, schema: observabilityConfigSchema, requiredInProduction: ['DATABASE_URL'] },
  { name: 'registry', port: 8005, schema: registryConfigSchema, requiredInProduction: ['DATABASE_URL'] },
];

/** Variables naming where a service lives, to the service they name: `BILLING_SERVICE_URL` → billing. */
export function serviceNamedBy(variable: string): SeedService | undefined {
  if (variable === 'GATEWAY_URL') return seedServices[0];
  const match = /^([A-Z]+)_SERVICE_URL$/.exec(variable);
  return match ? seedServices.find((service) => service.name === match[1]?.toLowerCase()) : undefined;
}

/** The compose files at the repository root. */
export const composeFiles = [
  'docker-compose.yml',
  'docker-compose.dev.yml',
  'docker-compose.prod.yml',
  'docker-compose.test.yml',
  'docker-compose.logging.yml',
  'docker-compose.monitoring.yml',
] as const;

/** Files that add a stack to the production file, never started alone. */
export const productionAddOns = ['docker-compose.logging.yml', 'docker-compose.monitoring.yml'] as const;

/** The compose files that are complete on their own (the monitoring file adds a network to the platform's services). */
export const standaloneComposeFiles = composeFiles.filter((file) => file !== 'docker-compose.monitoring.yml');

/** The files that run the six services. */
export const platformComposeFiles = ['docker-compose.yml', 'docker-compose.dev.yml', 'docker-compose.prod.yml'] as const;

/** The seed service of that name (a typo in a test fails loudly). */
export function seedService(name: string): SeedService {
  const service = seedServices.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`no seed service ${name}`);
  return service;
}

/**
 * Variables the kit reads outside the services' schemas: the OpenTelemetry SDK's OTEL_* names
 * (tracing starts before the configuration is validated). Taken from the kit's source, so a name
 * the kit does not read is still refused.
 */
export function kitTracingVariables(): Set<string> {
  const dir = join(repositoryRoot, 'packages/kit/src/tracing');
  const names = readdirSync(dir).flatMap((file) => readFileSync(join(dir, file), 'utf8').match(/\bOTEL_[A-Z_]+\b/g) ?? []);
  return new Set(names);
}
