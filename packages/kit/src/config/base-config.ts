import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';

const logLevel = Type.String({
  pattern: '^(fatal|error|warn|info|debug|trace|silent|FATAL|ERROR|WARN|WARNING|INFO|DEBUG|TRACE|SILENT)$',
  default: 'info',
  description: 'pino level; the seed\'s upper-case names (INFO, DEBUG) are accepted',
});

/** Variables every service reads. */
export function baseConfigProperties(defaultPort: number) {
  return {
    NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
      default: 'development',
    }),
    HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
    PORT: Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort }),
    LOG_LEVEL: logLevel,
    CORS_ORIGINS: Type.String({ minLength: 1, default: '*', description: 'comma-separated origins, or *' }),
    BODY_LIMIT_BYTES: Type.Integer({ minimum: 1, default: 1_048_576 }),
    SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 10_000 }),
    SHUTDOWN_DELAY_MS: Type.Integer({ minimum: 0, default: 0 }),
    EVENT_OUTBOX_CLOSE_DRAIN_MS: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'at shutdown, how long a local event outbox gets to deliver what waits in it (the rest stays in its file for the next start); with SHUTDOWN_DELAY_MS, shorter than SHUTDOWN_TIMEOUT_MS. Unset: 5 s, or half of what the shutdown has left after the delay when that is less',
      }),
    ),
    REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
    REDIS_KEY_PREFIX: Type.String({ default: 'lift:' }),
    JWT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
    SERVICE_CLIENT_SECRETS: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9-]*:[^,:]{16,}(,[a-z][a-z0-9-]*:[^,:]{16,})*$',
        description: 'name:secret pairs of the services\' OAuth client credentials; auth reads all, each service its own',
      }),
    ),
    TRUSTED_PROXIES: Type.String({
      default: '127.0.0.1/8,::1/128',
      description: 'addresses (IPs or CIDRs) whose X-Forwarded-For is believed; the client address is taken from it',
    }),
  } satisfies TProperties;
}

/**
 * How long an event outbox gets at shutdown: the setting when there is one (checked at start to
 * fit in the shutdown budget), otherwise 5 s, or half of what `SHUTDOWN_TIMEOUT_MS` leaves after
 * `SHUTDOWN_DELAY_MS` when that is less — the other half is for the requests still in flight.
 */
export function outboxCloseDrainMs(config: Pick<BaseConfig, 'EVENT_OUTBOX_CLOSE_DRAIN_MS' | 'SHUTDOWN_DELAY_MS' | 'SHUTDOWN_TIMEOUT_MS'>): number {
  if (config.EVENT_OUTBOX_CLOSE_DRAIN_MS !== undefined) return config.EVENT_OUTBOX_CLOSE_DRAIN_MS;
  return Math.min(5_000, Math.max(0, Math.floor((config.SHUTDOWN_TIMEOUT_MS - config.SHUTDOWN_DELAY_MS) / 2)));
}

/** Variables of the services that own a database. */
export function databaseConfigProperties() {
  return {
    DATABASE_URL: Type.String({
      pattern: '^(sqlite:///|postgres(ql)?://)',
      default: 'sqlite:///data/lift.db',
      description: 'sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://…',
    }),
    DATABASE_SCHEMA: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
  } satisfies TProperties;
}

export type BaseConfig = Static<TObject<ReturnType<typeof baseConfigProperties>>>;
export type DatabaseConfig = Static<TObject<ReturnType<typeof databaseConfigProperties>>>;

/**
 * Values that exist only so a laptop works without setup; production refuses them.
 * The JWT secrets are the seed's own examples.
 */
export const developmentOnlyJwtSecrets: readonly string[] = [
  'dev-secret-key',
  'dev-secret-key-not-for-production',
  'your-super-secret-jwt-key-change-this-in-production',
  'test-secret',
];
