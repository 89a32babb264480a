import type { ServiceApp } from '@lift/kit';
import { buildAuth } from '../../services/auth/test/helper.js';
import { buildBilling } from '../../services/billing/test/helper.js';
import { buildGateway } from '../../services/gateway/test/helper.js';
import { buildMemory } from '../../services/memory/test/helper.js';
import { buildObservability } from '../../services/observability/test/helper.js';
import { buildRegistry } from '../../services/registry/test/helper.js';

export const documentedServiceNames = ['gateway', 'auth', 'billing', 'memory', 'observability', 'registry'] as const;
export type DocumentedServiceName = (typeof documentedServiceNames)[number];

export interface OpenApiOperation {
  readonly operationId?: string;
  readonly summary?: string;
}

export interface LiveOpenApiDocument {
  readonly openapi: string;
  readonly info: Record<string, unknown>;
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly [key: string]: unknown;
}

// Nothing listens here: the gateway's fetches of the other services' documents are refused at
// once, so its document is its own operations only (each service's are in its own snapshot).
const nowhere = 'http://127.0.0.1:9';

const gatewayAlone = {
  AUTH_SERVICE_URL: nowhere,
  BILLING_SERVICE_URL: nowhere,
  MEMORY_SERVICE_URL: nowhere,
  OBSERVABILITY_SERVICE_URL: nowhere,
  REGISTRY_SERVICE_URL: nowhere,
  USAGE_METERING: 'false',
};

/**
 * Each service built in-process through its own test helper (no port): the document it would
 * serve. Billing gets a Stripe configuration (to a closed port) so its webhook route is documented,
 * as openapi-documents-lint.test.ts does.
 */
const builders: Record<DocumentedServiceName, () => Promise<ServiceApp>> = {
  gateway: () => buildGateway(gatewayAlone),
  auth: async () => (await buildAuth()).app,
  billing: async () => (await buildBilling({ env: { STRIPE_API_KEY: 'sk_test_contract', STRIPE_WEBHOOK_SECRET: 'whsec_contract', STRIPE_API_BASE: nowhere } })).app,
  memory: async () => (await buildMemory()).app,
  observability: async () => (await buildObservability()).app,
  registry: async () => (await buildRegistry()).app,
};

/** What `GET /openapi.json` answers for `name`, read with `inject`; the app is closed after the test. */
export async function liveOpenApiDocument(name: DocumentedServiceName): Promise<LiveOpenApiDocument> {
  const app = await builders[name]();
  const answer = await app.inject({ method: 'GET', url: '/openapi.json' });
  if (answer.statusCode !== 200) throw new Error(`${name} answered ${answer.statusCode} for /openapi.json`);
  return answer.json<LiveOpenApiDocument>();
}
