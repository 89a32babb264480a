import { Type, type TProperties } from '@sinclair/typebox';

const serviceUrl = (port: number, what: string) => Type.String({ pattern: '^https?://[^,\\s]+$', default: `http://127.0.0.1:${port}`, description: `the ${what} service, whose /health, /ready and /metrics the monitor reads` });

/** The settings of the health monitor, the overview, alert rules and notifications (spread into the service's config schema). */
export function monitoringConfigProperties() {
  return {
    // AUTH_SERVICE_URL comes with the token verification settings; the other five are here.
    GATEWAY_URL: serviceUrl(8000, 'gateway'),
    BILLING_SERVICE_URL: serviceUrl(8002, 'billing'),
    MEMORY_SERVICE_URL: serviceUrl(8003, 'memory'),
    OBSERVABILITY_SERVICE_URL: serviceUrl(8004, 'observability'),
    REGISTRY_SERVICE_URL: Type.String({ pattern: '^https?://[^,\\s]+$', default: 'http://127.0.0.1:8005', description: 'the registry: probed like the others, and asked for the health of the modules' }),
    SERVICE_CHECK_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 10_000, description: 'how often the six services are probed, their metrics read and the alert rules evaluated (by one replica)' }),
    SERVICE_CHECK_TIMEOUT_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 2_000, description: 'how long one probe (/health, /ready or /metrics) may take before it counts as failed' }),
    HEALTH_HISTORY_RETENTION_DAYS: Type.Integer({ minimum: 8, maximum: 400, default: 8, description: 'days of probe results and metric samples kept (at least 8, so 7-day windows are whole)' }),
    OVERVIEW_WINDOW_SECONDS: Type.Integer({ minimum: 10, maximum: 86_400, default: 300, description: 'the window of the overview\'s request rate, error rate and p95 latency' }),
    ALERT_WEBHOOK_ALLOWED_NETWORKS: Type.String({ default: '', description: 'CIDRs (loopback, private ranges) alert webhooks may point at; empty = public addresses only (127.0.0.0/8 for local development)' }),
    ALERT_WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5_000, description: 'how long one webhook delivery attempt may take, from connecting to the last byte of the answer' }),
    ALERT_WEBHOOK_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 50, default: 8, description: 'attempts per notification before it is marked failed' }),
    ALERT_WEBHOOK_RETRY_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 10_000, description: 'the wait before the second attempt; each next one doubles' }),
    ALERT_WEBHOOK_RETRY_MAX_MS: Type.Integer({ minimum: 0, maximum: 86_400_000, default: 900_000, description: 'the longest wait between two attempts' }),
  } satisfies TProperties;
}
