import { randomUUID } from 'node:crypto';
import { httpEventDelivery, nowIso, openEventPublisher, outboxCloseDrainMs, type Clock, type HttpClient, type Logger, type SharedState } from '@lift/kit';
import type { AuthConfig } from './config.js';
import { selfSignedServiceTokens } from './service-self-token.js';
import type { TokenIssuer } from './token-issuer.js';

/** Why an API key stops working. */
export type ApiKeyRevocationReason = 'revoked' | 'creator-removed' | 'creator-role-changed' | 'password-reset';

export interface RevocationEvents {
  /** Tells every gateway replica to stop using these keys' cached tokens (off the caller's path). */
  apiKeysRevoked(organisationId: string, apiKeyIds: readonly string[], reason: ApiKeyRevocationReason): void;
  close(): Promise<void>;
}

export const revocationStream = 'revocations';
export const apiKeyRevokedType = 'lift.auth.api-key.revoked';
/** What auth's token needs at the gateway's revocation inbox. */
export const revocationInboxPermission = 'gateway:revocations';

/**
 * Revocations on the kit's event stream, so they reach every gateway replica within a second
 * instead of when its cached token expires: with Redis, the `revocations` stream that each
 * replica reads in full; without it (and while it fails), a local outbox relayed over HTTP to the
 * gateway's inbox at `GATEWAY_URL`. Published after the revocation is committed; a crash between
 * the two loses the event, and the gateway's cache still ends within the token's 5 minutes.
 */
export async function openRevocationEvents(options: { config: AuthConfig; state: SharedState; http: HttpClient; issuer: TokenIssuer; clock: Clock; log: Logger }): Promise<RevocationEvents> {
  const gatewayUrl = options.config.GATEWAY_URL.replace(/\/$/, '');
  if (gatewayUrl === '' && options.state.kind !== 'redis') {
    options.log.info('GATEWAY_URL is empty and there is no Redis: a revoked API key stops working at the gateway when its cached token expires');
    return { apiKeysRevoked: () => undefined, close: async () => undefined };
  }
  const tokens = selfSignedServiceTokens(options.issuer, options.clock, [revocationInboxPermission]);
  const publisher = await openEventPublisher({
    state: options.state,
    stream: revocationStream,
    outboxFile: options.config.REVOCATION_OUTBOX_FILE,
    deliver:
      gatewayUrl === ''
        ? async () => {
            throw new Error('GATEWAY_URL is empty: revocations wait in the outbox until Redis takes them again');
          }
        : httpEventDelivery({ http: options.http, url: `${gatewayUrl}/v1/events/revocations`, tokens, timeoutMs: 5_000 }),
    log: options.log,
    flushIntervalMs: 20,
    closeDrainMs: outboxCloseDrainMs(options.config),
  });
  return {
    apiKeysRevoked(organisationId, apiKeyIds, reason) {
      const time = nowIso(options.clock);
      for (const apiKeyId of apiKeyIds) {
        publisher.publish({ id: randomUUID(), type: apiKeyRevokedType, source: 'auth', time, data: { apiKeyId, organisationId, reason } });
      }
    },
    close: () => publisher.close(),
  };
}
