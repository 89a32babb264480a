import type { Clock, ServiceTokenSource } from '@lift/kit';
import type { TokenIssuer } from './token-issuer.js';

const lifetimeSeconds = 60;

/**
 * Auth's own service token (`svc:auth`) for its outgoing calls: it signs it itself, needing no
 * client credentials to itself. Reused until shortly before it expires.
 */
export function selfSignedServiceTokens(issuer: TokenIssuer, clock: Clock, permissions: readonly string[]): ServiceTokenSource {
  let cached: { token: string; renewAt: number } | undefined;
  return {
    async token() {
      if (cached && cached.renewAt > clock.now()) return cached.token;
      const issued = await issuer.issue({ subject: 'svc:auth', organisation: 'platform', roles: ['service'], permissions, clientId: 'auth' }, lifetimeSeconds);
      cached = { token: issued.accessToken, renewAt: clock.now() + (lifetimeSeconds - 15) * 1000 };
      return issued.accessToken;
    },
    refused(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
