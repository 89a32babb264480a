import { Type, type Static } from '@sinclair/typebox';
import { addressPolicyConfigProperties, baseConfigProperties, tokenVerificationConfigProperties } from '@lift/kit';
import { tlsConfigProperties } from './tls-config.js';

// One URL, or several instances of the service comma-separated: each entry is checked at start, with a message
// naming what is wrong with it (service-url-list.ts); no regular expression for the whole list here.
const serviceUrl = (port: number) =>
  Type.String({
    // Only the start is checked here (a value that is no URL at all is refused with the others, its
    // credentials hidden); each entry is judged at start by serviceOrigins.
    pattern: '^\\s*[hH][tT][tT][pP][sS]?://',
    default: `http://127.0.0.1:${port}`,
    description: 'the service\'s base URL, or its instances\' comma-separated (http://a:8001,http://b:8001): the gateway balances across them',
  });

/** The seed's variable names for where each service lives. */
export const gatewayConfigSchema = Type.Object({
  ...baseConfigProperties(8000),
  ...tokenVerificationConfigProperties(),
  ...tlsConfigProperties(),
  AUTH_SERVICE_URL: serviceUrl(8001),
  BILLING_SERVICE_URL: serviceUrl(8002),
  MEMORY_SERVICE_URL: serviceUrl(8003),
  OBSERVABILITY_SERVICE_URL: serviceUrl(8004),
  REGISTRY_SERVICE_URL: serviceUrl(8005),
  CONSOLE_DIR: Type.String({ minLength: 1, default: 'dist/console', description: 'the built web console the gateway serves at /console (npm install builds it there)' }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 30_000, description: 'time an upstream has to start answering' }),
  UPSTREAM_TIMEOUTS: Type.String({ pattern: '^([a-z]+:\\d+(,[a-z]+:\\d+)*)?$', default: '', description: 'per-service answer timeouts in ms overriding UPSTREAM_TIMEOUT_MS, e.g. memory:60000,billing:10000' }),
  UPSTREAM_RETRIES: Type.Integer({ minimum: 0, maximum: 5, default: 2, description: 'retries of a request on another instance (or the same one) after a connection failure: any request that could not connect, and an idempotent one without a body after a broken connection' }),
  RETRY_BUDGET_RATIO: Type.Number({ minimum: 0, maximum: 1, default: 0.2, description: 'retries allowed per upstream as a share of its requests' }),
  CIRCUIT_BREAKER_FAILURES: Type.Integer({ minimum: 1, default: 5, description: 'consecutive connection failures or timeouts that open an upstream\'s circuit' }),
  CIRCUIT_BREAKER_COOLDOWN_MS: Type.Integer({ minimum: 100, default: 10_000, description: 'how long an open circuit refuses before one probe request is let through' }),
  UPSTREAM_EJECT_AFTER_FAILURES: Type.Integer({ minimum: 1, default: 3, description: 'consecutive requests without an answer that eject one instance of a service running several' }),
  UPSTREAM_EJECT_AFTER_GATEWAY_ERRORS: Type.Integer({ minimum: 1, default: 5, description: 'consecutive 502, 503 or 504 answers that eject one instance of a service running several' }),
  UPSTREAM_EJECT_MS: Type.Integer({ minimum: 100, default: 10_000, description: 'how long an instance is first ejected; each ejection soon after the last lasts this much longer' }),
  UPSTREAM_EJECT_MAX_MS: Type.Integer({ minimum: 100, default: 300_000, description: 'the longest an instance is ejected' }),
  UPSTREAM_BALANCING: Type.Union([Type.Literal('least-requests'), Type.Literal('round-robin')], {
    default: 'least-requests',
    description: 'how the instances of a service or the replicas of a module share requests: the fewest outstanding (ties in turn), or strictly in turn',
  }),
  UPSTREAM_PROBE_INTERVAL_MS: Type.Integer({ minimum: 10, default: 2_000, description: 'how often the /ready of each instance of a service running several is probed' }),
  UPSTREAM_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 5_000 }),
  UPSTREAM_CONNECTIONS: Type.Integer({ minimum: 1, default: 128, description: 'keep-alive connections per upstream' }),
  // Checked at every connection to a module, as the registry checks its URLs (DNS rebinding).
  ...addressPolicyConfigProperties(),
  ROUTE_TABLE_WAIT_MS: Type.Integer({ minimum: 1_000, maximum: 60_000, default: 25_000, description: 'how long one long poll of the registry\'s route table waits for a change' }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1_000, default: 60_000 }),
  RATE_LIMIT_PER_IP: Type.Integer({ minimum: 1, default: 1_200, description: 'requests per window from one client address' }),
  RATE_LIMIT_PER_ORG: Type.Integer({ minimum: 1, default: 6_000, description: 'requests per window for one organisation' }),
  RATE_LIMIT_CREDENTIALS_PER_IP: Type.Integer({ minimum: 1, default: 30, description: 'login, register and key exchanges per window from one address' }),
  RATE_LIMIT_ROUTE_OVERRIDES: Type.String({
    pattern: '^(/[^,:]*:\\d+(,/[^,:]*:\\d+)*)?$',
    default: '',
    description: 'per-organisation limits for path prefixes, e.g. /memory:600,/modules/causal:100',
  }),
  USAGE_METERING: Type.Boolean({ default: true, description: 'count authenticated requests as usage in billing and enforce hard quotas (needs the gateway\'s service secret)' }),
  QUOTA_CACHE_MS: Type.Integer({ minimum: 1_000, maximum: 3_600_000, default: 30_000, description: 'how long billing\'s entitlements of an organisation are used before they are renewed' }),
  EVENT_OUTBOX_FILE: Type.String({ minLength: 1, default: 'data/lift.gateway.outbox.db', description: 'without REDIS_URL: the file usage events wait in until billing has them' }),
  ALLOWED_HOSTS: Type.String({ default: '', description: 'host names served, comma-separated, *.example.com allowed; empty = any' }),
  INTERNAL_HOSTS: Type.String({
    default: '',
    description: 'names the platform\'s own processes call the gateway by (gateway in Compose), served as well when ALLOWED_HOSTS is set',
  }),
  FORCE_HTTPS: Type.Boolean({ default: false, description: 'redirect plain-HTTP requests (as seen through trusted proxies) to HTTPS' }),
  // The gateway is the edge: by default no one in front of it is believed about the client's address.
  TRUSTED_PROXIES: Type.String({ default: '', description: 'load balancers in front of the gateway whose X-Forwarded-For is believed' }),
});

export type GatewayConfig = Static<typeof gatewayConfigSchema>;
