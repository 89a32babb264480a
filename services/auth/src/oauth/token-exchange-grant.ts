import { isReservedNamespace, LiftError, permissionNamespace, type Clock, type Identity } from '@lift/kit';
import type { TokenIssuer } from '../token-issuer.js';
import type { AuthenticatedClient } from './client-authentication.js';
import { invalidClient, OAuthError } from './oauth-error.js';
import { grantedScope } from './scope.js';
import type { TokenResponse } from './token-response.js';

export const tokenExchangeGrantType = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';
const jwtTokenType = 'urn:ietf:params:oauth:token-type:jwt';
/** What a service needs to exchange a caller's token for a module's (the gateway has it). */
export const tokenExchangePermission = 'auth:token-exchange';
export const moduleAudiencePrefix = 'module:';
const maxLifetimeSeconds = 300;
const moduleId = /^[a-z][a-z0-9-]{1,47}$/;

export interface TokenExchangeRequest {
  readonly subject_token?: string | undefined;
  readonly subject_token_type?: string | undefined;
  readonly requested_token_type?: string | undefined;
  readonly audience?: string | undefined;
  readonly resource?: string | undefined;
  readonly scope?: string | undefined;
  readonly actor_token?: string | undefined;
}

export interface TokenExchangeDeps {
  readonly issuer: TokenIssuer;
  readonly clock: Clock;
  /** Verifies a subject token meant for the core services (`lift-os`) or for a module (`module:<id>`). */
  readonly verifySubject: (token: string) => Promise<Identity>;
  /** The core-service permissions a module's manifest declares it needs on its callers' behalf. */
  readonly platformAccessOf: (moduleId: string) => Promise<readonly string[]>;
}

/**
 * OAuth 2.0 token exchange (RFC 8693), in the two directions a module needs:
 *
 * - **to a module** — the gateway (a client holding `auth:token-exchange`) exchanges a caller's
 *   platform token for one with audience `module:<id>`: the caller's permissions in the module's
 *   namespace, plus those of the platform permissions the module's manifest declares that the caller
 *   holds. A module can never replay it against the core services, whose audience is `lift-os`.
 * - **back to the platform** — the module exchanges that token for one with audience `lift-os`,
 *   carrying only what its manifest declares and the caller holds, marked as delegated
 *   (`act.sub` = `module:<id>`), so services can refuse it where only the person may act.
 *
 * Exchanged tokens never outlive the token they came from, and delegated tokens are not exchanged
 * again.
 */
export function tokenExchangeGrant(deps: TokenExchangeDeps) {
  const subjectOf = async (request: TokenExchangeRequest): Promise<Identity> => {
    if (request.actor_token !== undefined) throw new OAuthError('invalid_request', 'actor_token is not supported; the subject_token alone is exchanged.');
    if (request.resource !== undefined) throw new OAuthError('invalid_target', 'Name the token\'s audience with the audience parameter (module:<id> or the platform), not resource.');
    if (request.subject_token === undefined || request.subject_token === '') throw new OAuthError('invalid_request', 'subject_token is required.');
    if (request.subject_token_type !== accessTokenType && request.subject_token_type !== jwtTokenType) {
      throw new OAuthError('invalid_request', `subject_token_type must be ${accessTokenType}.`);
    }
    if (request.requested_token_type !== undefined && request.requested_token_type !== accessTokenType) {
      throw new OAuthError('invalid_request', `Only ${accessTokenType} can be requested.`);
    }
    let subject: Identity;
    try {
      subject = await deps.verifySubject(request.subject_token);
    } catch (error) {
      if (error instanceof LiftError && error.status === 401) throw new OAuthError('invalid_grant', `The subject_token was refused: ${error.message}`);
      throw error;
    }
    if (subject.actor !== undefined) throw new OAuthError('invalid_grant', 'A delegated token (one with an actor) cannot be exchanged again.');
    return subject;
  };

  const lifetimeFor = (subject: Identity): number => {
    const remaining = Math.floor(subject.expiresAt - deps.clock.now() / 1000);
    if (remaining < 1) throw new OAuthError('invalid_grant', 'The subject_token has expired.');
    return Math.min(maxLifetimeSeconds, remaining);
  };

  const toModule = async (subject: Identity, client: AuthenticatedClient | undefined, request: TokenExchangeRequest, platformAudience: string): Promise<TokenResponse> => {
    if (!client) throw invalidClient('Exchanging a platform token for a module\'s needs client authentication.');
    if (!client.permissions.includes(tokenExchangePermission)) throw new OAuthError('unauthorized_client', `This client may not exchange tokens (it lacks ${tokenExchangePermission}).`);
    const target = moduleTarget(request.audience, platformAudience);
    const declared = new Set(await deps.platformAccessOf(target));
    const available = subject.permissions.filter((permission) => permissionNamespace(permission) === target || declared.has(permission));
    const permissions = grantedScope(request.scope, available);
    const issued = await deps.issuer.issue(
      { subject: subject.subject, organisation: subject.organisation, roles: subject.roles, permissions, clientId: client.clientId, audience: `${moduleAudiencePrefix}${target}` },
      lifetimeFor(subject),
    );
    return { access_token: issued.accessToken, issued_token_type: accessTokenType, token_type: 'Bearer', expires_in: issued.expiresIn, scope: permissions.join(' ') };
  };

  const toPlatform = async (subject: Identity, request: TokenExchangeRequest, platformAudience: string): Promise<TokenResponse> => {
    if (request.audience !== undefined && request.audience !== platformAudience) {
      throw new OAuthError('invalid_target', `A module's token can only be exchanged for the platform's audience (${platformAudience}).`);
    }
    const module = subject.audience.slice(moduleAudiencePrefix.length);
    if (!moduleId.test(module) || isReservedNamespace(module)) throw new OAuthError('invalid_grant', 'The subject_token names no module.');
    const declared = new Set(await deps.platformAccessOf(module));
    const permissions = grantedScope(request.scope, subject.permissions.filter((permission) => declared.has(permission)));
    const actor = `${moduleAudiencePrefix}${module}`;
    const issued = await deps.issuer.issue(
      { subject: subject.subject, organisation: subject.organisation, roles: subject.roles, permissions, clientId: actor, actor },
      lifetimeFor(subject),
    );
    return { access_token: issued.accessToken, issued_token_type: accessTokenType, token_type: 'Bearer', expires_in: issued.expiresIn, scope: permissions.join(' ') };
  };

  return async (client: AuthenticatedClient | undefined, request: TokenExchangeRequest): Promise<TokenResponse> => {
    const subject = await subjectOf(request);
    const platformAudience = deps.issuer.audience;
    if (subject.audience === platformAudience) return toModule(subject, client, request, platformAudience);
    return toPlatform(subject, request, platformAudience);
  };
}

/** `module:<id>` → `<id>`, refusing anything else (the platform's own namespaces included). */
function moduleTarget(audience: string | undefined, platformAudience: string): string {
  if (audience === undefined) throw new OAuthError('invalid_target', `Name the module the token is for: audience=${moduleAudiencePrefix}<moduleId>.`);
  if (audience === platformAudience) throw new OAuthError('invalid_target', 'The subject_token is already a platform token.');
  const id = audience.startsWith(moduleAudiencePrefix) ? audience.slice(moduleAudiencePrefix.length) : '';
  if (!moduleId.test(id) || isReservedNamespace(id)) throw new OAuthError('invalid_target', `${audience} is not a module audience (${moduleAudiencePrefix}<moduleId>).`);
  return id;
}
