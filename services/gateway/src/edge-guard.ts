import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddressKey, DependencyUnavailableError, LiftError, tokenMissing, UnauthorizedError, type AccessTokenVerifier, type Clock, type Logger } from '@lift/kit';
import type { Counter } from 'prom-client';
import type { ApiKeyExchange } from './api-key-exchange.js';
import type { RevokedApiKeys } from './revoked-api-keys.js';
import { isCredentialRoute } from './credential-routes.js';
import { edgeTargetOfRequest, type ServiceTarget } from './edge-routing.js';
import { gatewayErrorCodes } from './errors.js';
import type { PublicRouteTable, RouteAccess } from './public-route-table.js';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from './rate-limiter.js';

export interface RateLimitSettings {
  readonly perIp: RateLimitRule;
  readonly perOrganisation: RateLimitRule;
  readonly credentialsPerIp: RateLimitRule;
  /** Per-organisation limits for path prefixes, the longest matching prefix wins. */
  readonly routeOverrides: readonly { readonly prefix: string; readonly limit: number }[];
}

export interface EdgeGuardOptions {
  readonly verifier: AccessTokenVerifier;
  readonly apiKeys: ApiKeyExchange;
  /** Keys auth revoked: their tokens are refused although they still verify. */
  readonly revokedApiKeys: RevokedApiKeys;
  readonly limiter: RateLimiter;
  /** Used when the shared limiter's store (Redis) fails: traffic goes on, limited per replica. */
  readonly fallbackLimiter: RateLimiter;
  readonly limits: RateLimitSettings;
  /** Which core-service routes are public, from the services' own OpenAPI documents. */
  readonly publicRoutes: PublicRouteTable;
  readonly log: Logger;
  /** Spaces the store-failure warnings; injected like every clock, so tests can move it. */
  readonly clock: Clock;
  readonly storeFailures: Counter;
}

function setRateHeaders(reply: FastifyReply, decision: RateLimitDecision): void {
  reply.header('ratelimit-limit', String(decision.limit));
  reply.header('ratelimit-remaining', String(decision.remaining));
  reply.header('ratelimit-reset', String(decision.resetSeconds));
}

function tooMany(decision: RateLimitDecision, scope: string): LiftError {
  return new LiftError(429, 'GATEWAY_RATE_LIMITED', 'Too many requests', `The ${scope} rate limit of ${decision.limit} requests is used up; try again in ${decision.resetSeconds} s.`, {
    headers: { 'retry-after': String(decision.resetSeconds) },
    extensions: { limit: decision.limit, scope },
  });
}

function publicRoutesUnknown(service: string): LiftError {
  return new DependencyUnavailableError(
    gatewayErrorCodes.publicRoutesUnknown,
    `The gateway has not obtained the ${service} service's API description yet, so it cannot tell whether this route needs a token; try again shortly, or send a token.`,
    { headers: { 'retry-after': '1' }, extensions: { service } },
  );
}

function presentsCredentials(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
}

/**
 * Every proxied request passes here before it is forwarded, decided on its normalised path
 * (edgeRouting): the client's address is limited, then — unless the service declares the route
 * public — a Bearer token or an X-API-Key (exchanged for a token) is verified, then the
 * organisation is limited. A failing Redis fails open to a per-replica limiter for ordinary
 * traffic (logged and counted) and closed (503) for credential routes, where a missing limit
 * would invite brute force.
 */
export function edgeGuard(options: EdgeGuardOptions) {
  let lastWarning = 0;
  const limit = async (key: string, rule: RateLimitRule, failClosed: boolean): Promise<RateLimitDecision> => {
    try {
      return await options.limiter.check(key, rule);
    } catch (error) {
      options.storeFailures.inc();
      const now = options.clock.now();
      if (now - lastWarning > 10_000) {
        lastWarning = now;
        options.log.warn({ err: error }, 'the rate-limit store failed; limiting per replica until it is back');
      }
      if (failClosed) throw new DependencyUnavailableError('GATEWAY_RATE_LIMIT_UNAVAILABLE', 'Sign-in is paused while the rate limiter is unavailable; try again shortly.', { headers: { 'retry-after': '5' } });
      return options.fallbackLimiter.check(key, rule);
    }
  };

  /**
   * A route whose service's document the gateway does not hold yet is public only once it does:
   * a request without credentials waits for one fetch of the document (sign-in works as soon as
   * auth answers), and is refused with 503 if that fails. With credentials it is simply verified.
   */
  const accessAfterLearning = async (request: FastifyRequest, target: ServiceTarget): Promise<RouteAccess> => {
    const service = target.upstream.name;
    await options.publicRoutes.learn(service);
    const access = options.publicRoutes.accessOf(service, request.method, target.servicePath);
    if (access === 'unknown') throw publicRoutesUnknown(service);
    return access;
  };

  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const target = edgeTargetOfRequest(request);
    const { path } = target;
    const credentials = isCredentialRoute(request.method, path, request.headers.authorization);
    // IPv6 clients by their /64: one subscriber could otherwise take a fresh address per request.
    const client = clientAddressKey(request.ip);
    const ipDecision = await limit(`ip:${credentials ? 'credentials:' : ''}${client}`, credentials ? options.limits.credentialsPerIp : options.limits.perIp, credentials);
    setRateHeaders(reply, ipDecision);
    if (!ipDecision.allowed) throw tooMany(ipDecision, credentials ? 'sign-in per address' : 'per address');
    let access: RouteAccess = target.kind === 'service' ? options.publicRoutes.accessOf(target.upstream.name, request.method, target.servicePath) : 'protected';
    if (access === 'unknown' && target.kind === 'service' && !presentsCredentials(request)) access = await accessAfterLearning(request, target);
    if (access === 'public') return;

    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey !== '' && request.headers.authorization === undefined) {
      // A key auth must be asked about is a credential being tried: the sign-in limit applies.
      const askingAuth = async (): Promise<void> => {
        const decision = await limit(`ip:credentials:${client}`, options.limits.credentialsPerIp, true);
        if (!decision.allowed) {
          await decision.release();
          throw tooMany(decision, 'sign-in per address');
        }
      };
      request.headers.authorization = `Bearer ${await options.apiKeys.tokenFor(apiKey, askingAuth)}`;
    }
    const match = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw tokenMissing();
    const identity = await options.verifier.verify(match[1] as string);
    if (options.revokedApiKeys.isRevoked(identity)) {
      throw new UnauthorizedError('AUTH_API_KEY_INVALID', 'The API key this token was issued for has been revoked.', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    }
    request.identity = identity;

    const override = options.limits.routeOverrides.filter((rule) => path.startsWith(rule.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
    const organisationRule = override ? { ...options.limits.perOrganisation, limit: override.limit } : options.limits.perOrganisation;
    const organisationDecision = await limit(`org:${identity.organisation}:${override?.prefix ?? '*'}`, organisationRule, false);
    if (organisationDecision.remaining < ipDecision.remaining) setRateHeaders(reply, organisationDecision);
    if (!organisationDecision.allowed) {
      // Refused requests are not counted by any limit, or a used-up organisation would lock its members' addresses too.
      await ipDecision.release();
      throw tooMany(organisationDecision, 'organisation');
    }
  };
}
