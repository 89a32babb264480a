import { DependencyUnavailableError, serviceClientSecrets, serviceTokenSource, type Clock, type HttpClient, type Logger, type ServiceTokenSource } from '@lift/kit';
import type { BillingConfig } from './config.js';
import { billingErrorCodes } from './errors.js';

/** Where billing learns whether an organisation exists (auth owns organisations). */
export interface OrganisationDirectory {
  /** Throws DependencyUnavailableError when the answer cannot be had now. */
  exists(organisationId: string): Promise<boolean>;
}

export interface AuthOrganisationDirectoryOptions {
  readonly http: HttpClient;
  readonly authUrl: string;
  /** Billing's own service token; undefined when SERVICE_CLIENT_SECRETS has no secret for billing. */
  readonly tokens: ServiceTokenSource | undefined;
  /** Positive answers remembered; the oldest is forgotten first. */
  readonly cacheSize?: number;
}

// Billing asks at most once per organisation it meets; a slow auth must not hold a usage batch long.
const lookupTimeoutMs = 5_000;

function unavailable(detail: string, cause?: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(billingErrorCodes.authUnavailable, `Billing cannot check organisations now: ${detail}. Nothing was stored; retry shortly.`, {
    headers: { 'retry-after': '5' },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Auth's `GET /v1/organisations/{id}/exists`, asked with billing's service token (`org:lookup`).
 * Only "exists" is cached: auth never deletes an organisation, while one that does not exist yet
 * may be created a moment later and must then be accepted at once.
 */
export function authOrganisationDirectory(options: AuthOrganisationDirectoryOptions): OrganisationDirectory {
  const known = new Set<string>();
  const cacheSize = options.cacheSize ?? 10_000;
  const base = options.authUrl.replace(/\/$/, '');
  return {
    async exists(organisationId) {
      if (known.has(organisationId)) return true;
      // No organisation is called "." or "..", and every URL parser resolves such a segment out of
      // the path however it is encoded: auth would be asked /v1/organisations/exists or /v1/exists,
      // and its 404 would read as auth being down (a 503 for a bad id).
      if (organisationId === '.' || organisationId === '..') return false;
      if (!options.tokens) throw unavailable('SERVICE_CLIENT_SECRETS has no secret for billing, so it cannot call auth');
      let exists: boolean;
      try {
        const token = await options.tokens.token();
        const answer = await options.http.call(`${base}/v1/organisations/${encodeURIComponent(organisationId)}/exists`, { headers: { authorization: `Bearer ${token}` }, timeoutMs: lookupTimeoutMs });
        if (answer.status !== 200) {
          await answer.text();
          if (answer.status === 401) options.tokens.refused(token);
          throw new Error(`auth answered ${answer.status}`);
        }
        exists = (await answer.json<{ exists: boolean }>()).exists === true;
      } catch (error) {
        throw unavailable('auth did not answer whether an organisation exists', error);
      }
      if (exists) {
        if (known.size >= cacheSize) known.delete(known.values().next().value as string);
        known.add(organisationId);
      }
      return exists;
    },
  };
}

/** The running service's directory: auth, asked with billing's client credentials from SERVICE_CLIENT_SECRETS. */
export function billingOrganisationDirectory(deps: { config: Pick<BillingConfig, 'AUTH_SERVICE_URL' | 'SERVICE_CLIENT_SECRETS'>; http: HttpClient; clock: Clock; log: Logger }): OrganisationDirectory {
  const secret = serviceClientSecrets(deps.config.SERVICE_CLIENT_SECRETS).get('billing');
  if (!secret) deps.log.warn('SERVICE_CLIENT_SECRETS has no secret for billing: usage for organisations billing has not met yet is refused with 503');
  const tokens = secret ? serviceTokenSource({ http: deps.http, authUrl: deps.config.AUTH_SERVICE_URL, clientId: 'billing', clientSecret: secret, clock: deps.clock }) : undefined;
  return authOrganisationDirectory({ http: deps.http, authUrl: deps.config.AUTH_SERVICE_URL, tokens });
}
