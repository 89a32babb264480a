export { joinPlatform, type JoinPlatformOptions } from './join-platform.js';
export { createLiftClient, type LiftClient, type LiftClientOptions } from './lift-client.js';
export { moduleTokenVerifier, type ModuleTokenVerifierOptions } from './module-token-verifier.js';
export { platformTokens, PlatformTokenError, type PlatformTokens, type PlatformTokensOptions } from './platform-tokens.js';
export { LiftApiError } from './problem.js';
export type { AccessToken, CreatedApiKey, ModuleManifest, RegisteredModule, Session } from './types.js';
