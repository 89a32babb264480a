import { Type } from '@sinclair/typebox';
import { moduleManifestSchema, routeTableSchema } from '@lift/sdk';

const Status = Type.Union([Type.Literal('unknown'), Type.Literal('healthy'), Type.Literal('unhealthy')]);
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ModuleParams = Type.Object({ moduleId: Type.String({ pattern: '^[a-z][a-z0-9-]{1,47}$' }) });

export const ModuleBody = Type.Composite([
  Type.Omit(moduleManifestSchema, []),
  Type.Object({
    enabled: Type.Boolean(),
    status: Status,
    lastCheckedAt: Nullable(Type.String()),
    lastHeartbeatAt: Nullable(Type.String()),
    lastError: Nullable(Type.String()),
    statusChangedAt: Type.String(),
    registeredAt: Type.String(),
    updatedAt: Type.String(),
  }),
]);

export const ModuleList = Type.Object({ items: Type.Array(ModuleBody), nextCursor: Nullable(Type.String()) });

export const ModuleQuery = Type.Object({
  status: Type.Optional(Status),
  feature: Type.Optional(Type.String({ maxLength: 64 })),
  category: Type.Optional(Type.String({ maxLength: 64 })),
  tag: Type.Optional(Type.String({ maxLength: 64 })),
  enabled: Type.Optional(Type.Boolean()),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
});

export const VersionList = Type.Object({ items: Type.Array(Type.Object({ version: Type.String(), recordedAt: Type.String(), recordedBy: Type.String() })), nextCursor: Type.Null() });

export const ModuleHealthBody = Type.Object({
  moduleId: Type.String(),
  status: Status,
  enabled: Type.Boolean(),
  checkType: Type.Union([Type.Literal('http'), Type.Literal('ttl')]),
  lastCheckedAt: Nullable(Type.String()),
  lastHeartbeatAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  statusChangedAt: Type.String(),
  recent: Type.Array(Type.Object({ checkedAt: Type.String(), ok: Type.Boolean(), latencyMs: Type.Union([Type.Integer(), Type.Null()]), detail: Nullable(Type.String()) })),
});

export const HealthSummaryBody = Type.Object({
  total: Type.Integer(),
  healthy: Type.Integer(),
  unhealthy: Type.Integer(),
  unknown: Type.Integer(),
  disabled: Type.Integer(),
  modules: Type.Array(Type.Object({ moduleId: Type.String(), status: Status, enabled: Type.Boolean(), since: Type.String(), lastError: Nullable(Type.String()) })),
});

export const HeartbeatBody = Type.Object({ status: Status, nextHeartbeatBefore: Type.String() });

export const RouteTableQuery = Type.Object({
  after: Type.Integer({ minimum: -1, default: -1, description: 'the revision the caller has; answers when there is a newer one' }),
  waitMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 0 }),
});

/** The route table as the SDK declares it for the registry, the gateway and auth. */
export const RouteTableBody = routeTableSchema;

export const PrometheusTargets = Type.Array(Type.Object({ targets: Type.Array(Type.String()), labels: Type.Record(Type.String(), Type.String()) }));
