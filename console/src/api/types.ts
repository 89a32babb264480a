/**
 * The shapes the console reads, as the services' OpenAPI documents describe them (the merged
 * document is at /openapi.json); only the fields the pages use.
 */
export interface Session {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly userId: string;
  readonly organisationId: string;
}

export interface Membership {
  readonly organisationId: string;
  readonly organisationName: string;
  readonly kind: 'tenant' | 'platform';
  readonly role: string;
}

export interface Me {
  readonly id: string;
  readonly email: string;
  readonly emailVerified: boolean;
  readonly displayName: string | null;
  readonly organisationId: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  readonly memberships: readonly Membership[];
}

export interface List<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | null;
}

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string | null;
  readonly role: string;
  readonly since: string;
}

export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly permissions: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKey {
  readonly key: string;
}

export interface AuditEvent {
  readonly id: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly ip: string | null;
  readonly createdAt: string;
}

export interface Memory {
  readonly id: string;
  readonly content: string;
  readonly type: string;
  readonly tags: readonly string[];
  readonly source: string;
  readonly createdAt: string;
}

export const searchModes = ['hybrid', 'fulltext', 'neural', 'knowledge', 'conceptual'] as const;
export type SearchMode = (typeof searchModes)[number];

export interface SearchHit {
  readonly memory: Memory;
  readonly score: number;
  readonly signals: Partial<Record<'fulltext' | 'neural' | 'knowledge' | 'conceptual', number>>;
}

export interface SearchAnswer {
  readonly items: readonly SearchHit[];
  readonly mode: SearchMode;
  readonly tookMs: number;
}

export interface RelatedMemory {
  readonly memory: Memory;
  readonly depth: number;
  readonly via: { readonly from: string; readonly predicate: string; readonly direction: 'outgoing' | 'incoming' };
}

export interface MetricEntitlement {
  readonly metric: string;
  readonly used: number;
  readonly included: number;
  readonly remaining: number;
  readonly limit: 'hard' | 'soft';
  readonly hardLimitReached: boolean;
}

export interface Entitlements {
  readonly planId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly metrics: readonly MetricEntitlement[];
}

export interface Subscription {
  readonly planId: string;
  readonly status: 'trialing' | 'active';
  readonly currentPeriod: { readonly start: string; readonly end: string };
  readonly trialEndsAt: string | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly pendingPlanId: string | null;
}

export interface Plan {
  readonly id: string;
  readonly name: string;
  readonly interval: 'month' | 'year';
  readonly basePriceCents: number;
  readonly currency: string;
  readonly metrics: readonly { readonly metric: string; readonly included: number }[];
  readonly archived: boolean;
}

export interface Invoice {
  readonly id: string;
  readonly number: number | null;
  readonly planId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly currency: string;
  readonly totalCents: number;
  readonly status: 'draft' | 'open' | 'paid' | 'void';
}

export interface LogLine {
  readonly id: string;
  readonly time: string;
  readonly service: string;
  readonly level: string;
  readonly msg: string;
  readonly reqId?: string;
  readonly org?: string;
  readonly fields: Record<string, unknown>;
}

export type ServiceState = 'up' | 'degraded' | 'down' | 'unknown' | 'disabled';

export interface Alert {
  readonly id: string;
  readonly ruleName: string;
  readonly target: string;
  readonly severity: 'critical' | 'warning' | 'info';
  readonly state: 'firing' | 'acknowledged' | 'resolved';
  readonly summary: string;
  readonly firedAt: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly resolvedAt: string | null;
}

export interface Overview {
  readonly state: ServiceState;
  readonly windowSeconds: number;
  readonly traffic: { readonly requestsPerSecond: number; readonly errorRatePercent: number | null; readonly p95Ms: number | null };
  readonly services: readonly { readonly name: string; readonly state: ServiceState; readonly since: string | null; readonly detail: string | null; readonly requestsPerSecond: number; readonly errorRatePercent: number | null; readonly p95Ms: number | null }[];
  readonly modules: readonly { readonly name: string; readonly state: ServiceState; readonly since: string | null; readonly detail: string | null }[];
  readonly openAlerts: { readonly total: number; readonly items: readonly Alert[] };
}

/** A service's own /health, read through the gateway (public). */
export interface ServiceHealth {
  readonly service: string;
  readonly version: string;
  readonly startedAt: string;
}

export const alertRuleKinds = ['service_down', 'error_rate', 'latency_p95', 'module_unhealthy'] as const;
export type AlertRuleKind = (typeof alertRuleKinds)[number];

export interface AlertRule {
  readonly id: string;
  readonly name: string;
  readonly kind: AlertRuleKind;
  readonly target: string;
  readonly checks: number | null;
  readonly thresholdPercent: number | null;
  readonly thresholdMs: number | null;
  readonly forSeconds: number | null;
  readonly severity: 'critical' | 'warning' | 'info';
  readonly enabled: boolean;
  readonly channels: readonly { readonly type: string; readonly url: string }[];
}

export interface RegisteredModule {
  readonly moduleId: string;
  readonly name: string;
  readonly version: string;
  readonly baseUrl: string;
  readonly enabled: boolean;
  readonly status: 'unknown' | 'healthy' | 'unhealthy';
  readonly lastCheckedAt: string | null;
  readonly lastError: string | null;
}

export interface ModuleHealth {
  readonly recent: readonly { readonly checkedAt: string; readonly ok: boolean; readonly latencyMs: number | null; readonly detail: string | null }[];
}
