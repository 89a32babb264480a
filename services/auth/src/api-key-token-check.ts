import { tokenRejected, type AccessTokenVerifier, type Clock } from '@lift/kit';
import type { ApiKeys } from './api-keys.js';

const recheckMs = 5_000;
const maxEntries = 10_000;

/**
 * Auth's own verifiers refuse the tokens of an API key that has been revoked (or has expired),
 * although their signature is still good: auth is where `/v1/verify` answers for callers that
 * cannot verify locally, and where a revoked key's token must not still list or change members.
 * What a key's row says is remembered for a few seconds; this replica forgets it at once when it
 * revokes the key itself.
 */
export function apiKeyTokenCheck(apiKeys: Pick<ApiKeys, 'isLive'>, clock: Clock) {
  const known = new Map<string, { live: boolean; until: number }>();
  const isLive = async (id: string): Promise<boolean> => {
    const now = clock.now();
    const cached = known.get(id);
    if (cached && cached.until > now) return cached.live;
    const live = await apiKeys.isLive(id);
    if (known.size >= maxEntries) known.delete(known.keys().next().value as string);
    known.set(id, { live, until: now + recheckMs });
    return live;
  };
  return {
    /** `verifier`, refusing tokens of keys that are no longer live. */
    guard(verifier: AccessTokenVerifier): AccessTokenVerifier {
      return {
        async verify(token) {
          const identity = await verifier.verify(token);
          if (identity.subject.startsWith('apikey:') && !(await isLive(identity.subject.slice('apikey:'.length)))) {
            throw tokenRejected('its API key has been revoked or has expired');
          }
          return identity;
        },
      };
    },
    forget(apiKeyIds: readonly string[]): void {
      for (const id of apiKeyIds) known.delete(id);
    },
  };
}

export type ApiKeyTokenCheck = ReturnType<typeof apiKeyTokenCheck>;
