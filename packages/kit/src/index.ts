export { createAccessTokenVerifier, type AccessTokenVerifier, type AccessTokenVerifierOptions, type VerificationKeys } from './auth/access-token-verifier.js';
export { authPlugin, identityOf, type AuthPluginOptions } from './auth/auth-plugin.js';
export { hasPermission, type Identity } from './auth/identity.js';
export { serviceClientSecrets, serviceTokenSource, type ServiceTokenSource } from './auth/service-credentials.js';
export { assertStrongHs256Secret, hs256SecretFrom, minimumHs256SecretBytes } from './auth/hs256-secret.js';
export { serviceTokenVerifier, tokenVerificationConfigProperties, type TokenVerificationConfig } from './auth/verification-config.js';
export { defaultPublicUrl, defaultTokenIssuer, publicBaseUrl, tokenIssuerConfigProperties, tokenIssuerOf, type TokenIssuerConfig } from './auth/token-issuer-config.js';
export { isReservedNamespace, permissionNamespace, reservedNamespaces } from './auth/reserved-namespaces.js';
export { keysOf, remoteKeySource, staticKeySource, type JsonWebKeySet, type KeySource, type RemoteKeySourceOptions } from './auth/key-source.js';
export { jwksMaxAgeSeconds, keyPublishLeadSeconds, unknownKeyRefetchCooldownMs } from './auth/key-publication.js';
export { tokenErrorCodes, tokenMissing, tokenRejected } from './auth/token-errors.js';
export { nowIso, systemClock, type Clock } from './clock.js';
export {
  baseConfigProperties,
  databaseConfigProperties,
  developmentOnlyJwtSecrets,
  outboxCloseDrainMs,
  type BaseConfig,
  type DatabaseConfig,
} from './config/base-config.js';
export { environmentWithEnvFile, type Environment } from './config/env-file.js';
export { ConfigError, loadConfig, type LoadConfigOptions } from './config/load-config.js';
export { resolveSecretReference, SecretReferenceError, type SecretReferenceContext } from './config/secret-references.js';
export { databaseLocation, redactedDatabaseUrl, type DatabaseLocation } from './db/database-url.js';
export { prepareDatabase, type DatabasePreparation } from './db/database-readiness.js';
export { migrateToLatest, MigrationError, type ServiceMigrations } from './db/migrations.js';
export { openDatabase, type Database, type OpenDatabaseOptions } from './db/open-database.js';
export { transactionalStore, type TransactionalStore } from './db/transactional-store.js';
export { isUniqueViolation } from './db/unique-violation.js';
export {
  ConflictError,
  DependencyUnavailableError,
  ForbiddenError,
  InvalidInputError,
  kitErrorCodes,
  LiftError,
  NotFoundError,
  OverloadedError,
  UnauthorizedError,
  type LiftErrorOptions,
} from './errors.js';
export { createEventPublisher, type EventPublisher, type EventPublisherOptions } from './events/event-publisher.js';
export type { EventRecord, EventSink } from './events/event-sink.js';
export { httpEventDelivery } from './events/http-event-delivery.js';
export { openLocalOutbox, type LocalOutbox, type OutboxBatch } from './events/local-outbox.js';
export { openEventPublisher, type EventStreamPublisher, type EventStreamSettings } from './events/open-event-publisher.js';
export { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './events/outbox-relay.js';
export { followStream, type StreamFollower, type StreamFollowerOptions } from './events/stream-follower.js';
export { startStreamConsumer, type StreamConsumer, type StreamConsumerOptions } from './events/stream-consumer.js';
export { eventBatchOf, streamBatchField, streamSink } from './events/stream-sink.js';
export { retryDelayMs } from './events/retry-delay.js';
export { createPrivateFile, privateDirectoryMode, privateFileMode, sqliteFiles, warnAboutOpenFiles, type WarningLog } from './files/private-files.js';
export { FastCounter, FastHistogram } from './http/fast-metrics.js';
export { baseUrlOf, type UrlSource } from './http/url-source.js';
export { createService, type CreateServiceOptions, type ServiceApp, type ServiceIdentity } from './http/create-service.js';
export type { ReadinessCheck, Readiness } from './http/health-plugin.js';
export { readyOnceDone, type StartupWork } from './http/ready-once-done.js';
export { closeIdleConnectionsAfter } from './http/idle-connections.js';
export { createHttpClient, type CallContext, type HttpAnswer, type HttpCall, type HttpClient } from './http/http-client.js';
export { problemContentType, problemDocument, sendProblem, type Problem, type ProblemDocument } from './http/problem-details.js';
export { problemResponse, problemSchemaName, ProblemSchema } from './http/problem-schema.js';
export type { RouteProblems } from './http/route-problems.js';
export { requestIdHeader } from './http/request-id.js';
export { strictValidator, type StrictValidator } from './http/validator-compilers.js';
export { describeValidationErrors, type FieldError } from './http/validation-errors.js';
export { outgoingTraceparent, traceContextFor, traceparentHeader, type TraceContext } from './http/trace-context.js';
export { startTracing, tracingWanted, type ServiceTracing, type TracingTarget } from './tracing/service-tracing.js';
export { addressPolicyConfigProperties } from './net/address-policy-config.js';
export { clientAddressKey } from './net/client-address-key.js';
export { addressPolicyFrom, addressProblem, literalHostProblem, reachedAddresses, refusedAddress, type AddressPolicy } from './net/address-policy.js';
export { addressRefusedCode, guardedConnector, guardedLookup, systemResolver, type GuardedConnectorOptions, type HostResolver, type ResolvedAddress } from './net/guarded-connection.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { runService, startService, type RunningService, type ServiceDefinition } from './run-service.js';
export { createServiceContext, openServiceDatabase, type ServiceContext, type ServiceDatabase, type ServiceDatabaseOptions } from './service-context.js';
export type { DatabaseServiceDeps, ServiceDeps } from './service-deps.js';
export { createLease, type Lease, type LeaseOptions } from './leases/lease.js';
export { InProcessState } from './state/in-process-state.js';
export { openSharedState, type SharedStateSettings } from './state/open-shared-state.js';
export type {
  AppendOptions,
  CounterValue,
  ReadGroupOptions,
  SetOptions,
  SharedState,
  StreamEntry,
  Unsubscribe,
} from './state/shared-state.js';
export { isEventStream } from './http/event-stream.js';
export { matchedRoute } from './http/matched-route.js';
