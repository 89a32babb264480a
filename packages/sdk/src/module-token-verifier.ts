import { createAccessTokenVerifier, DependencyUnavailableError, remoteKeySource, systemClock, type AccessTokenVerifier, type Clock, type Identity } from '@lift/kit';

export interface ModuleTokenVerifierOptions {
  /** The platform's gateway, e.g. http://localhost:8000 (keys and metadata are read through it). */
  readonly gatewayUrl: string;
  /** The module's id: only tokens whose audience is `module:<moduleId>` are accepted. */
  readonly moduleId: string;
  /** The token issuer; read from the platform's OAuth metadata (RFC 8414) when not given. */
  readonly issuer?: string;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
}

/**
 * How a module verifies the tokens the gateway forwards to it: signed with the platform's keys
 * (auth's JWKS, through the gateway), issued by the platform, and meant for this module — the
 * gateway exchanges every caller's token for one with audience `module:<moduleId>`, so a token
 * meant for the core services (or another module) is refused here.
 */
export function moduleTokenVerifier(options: ModuleTokenVerifierOptions): AccessTokenVerifier {
  const gateway = options.gatewayUrl.replace(/\/$/, '');
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch ?? fetch;
  const keys = remoteKeySource({ url: `${gateway}/auth/.well-known/jwks.json`, clock, fetch: fetchImpl });
  let verifier: Promise<AccessTokenVerifier> | undefined;

  const build = async (): Promise<AccessTokenVerifier> => {
    const issuer = options.issuer ?? (await discoveredIssuer(gateway, fetchImpl));
    return createAccessTokenVerifier({ keys: { algorithm: 'EdDSA', keys }, issuer, audience: `module:${options.moduleId}`, clock });
  };

  return {
    async verify(token: string): Promise<Identity> {
      // Discovered once; a failed discovery (platform not up yet) is tried again on the next token.
      verifier ??= build().catch((error: unknown) => {
        verifier = undefined;
        throw error;
      });
      return (await verifier).verify(token);
    },
  };
}

/** The issuer from the platform's RFC 8414 metadata; until it answers, requests get a 503, not a 500. */
async function discoveredIssuer(gateway: string, fetchImpl: typeof fetch): Promise<string> {
  const unavailable = (why: string, cause?: unknown) =>
    new DependencyUnavailableError('MODULE_PLATFORM_UNAVAILABLE', `The platform's token issuer is not known yet (${why}); try again shortly.`, { cause, headers: { 'retry-after': '5' } });
  let response: Response;
  try {
    response = await fetchImpl(`${gateway}/auth/.well-known/oauth-authorization-server`, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw unavailable('the platform could not be reached', error);
  }
  if (!response.ok) throw unavailable(`its OAuth metadata answered ${response.status}`);
  const metadata = (await response.json().catch(() => ({}))) as { issuer?: unknown };
  if (typeof metadata.issuer !== 'string') throw unavailable('its OAuth metadata names no issuer');
  return metadata.issuer;
}
