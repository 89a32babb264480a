export { joinPlatform, type JoinPlatformOptions } from './join-platform.js';
export { createLiftClient, type LiftClient, type LiftClientOptions } from './lift-client.js';
export { moduleTokenVerifier, type ModuleTokenVerifierOptions } from './module-token-verifier.js';
export { platformTokens, PlatformTokenError, type PlatformTokens, type PlatformTokensOptions } from './platform-tokens.js';
export { LiftApiError } from './problem.js';
export type { AccessToken, CreatedApiKey, RegisteredModule, RegisteredSession, RegistrationPending, Session } from './types.js';
export { entitlementMetricSchema, entitlementsSchema, type EntitlementMetric, type Entitlements } from './wire/entitlements.js';
export { moduleManifestSchema, routeRuleSchema, type CompleteModuleManifest, type ModuleManifest, type RouteRule } from './wire/module-manifest.js';
export { routeTableModuleSchema, routeTableSchema, type RouteTable, type RouteTableModule } from './wire/route-table.js';
