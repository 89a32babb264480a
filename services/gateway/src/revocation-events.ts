import type { Clock, EventRecord, Logger } from '@lift/kit';
import type { ApiKeyExchange } from './api-key-exchange.js';
import type { RevokedApiKeys } from './revoked-api-keys.js';

/** The stream and event type auth publishes revocations under (its revocation-events.ts). */
export const revocationStream = 'revocations';
const apiKeyRevokedType = 'lift.auth.api-key.revoked';

export interface RevocationTargets {
  readonly apiKeys: ApiKeyExchange;
  readonly revoked: RevokedApiKeys;
  readonly log: Logger;
  /** When an event says nothing usable of its time, it counts as happening now. */
  readonly clock: Clock;
}

/** Applies auth's revocation events to this replica; idempotent, so a batch may arrive twice. */
export function applyRevocations(events: readonly EventRecord[], targets: RevocationTargets): void {
  for (const event of events) {
    const data = event.data as { apiKeyId?: unknown; reason?: unknown } | undefined;
    if (event.type !== apiKeyRevokedType || typeof data?.apiKeyId !== 'string') continue;
    // A demoted creator's key still works, with less: only tokens from before the change go.
    if (data.reason === 'creator-role-changed') {
      targets.apiKeys.forget(data.apiKeyId);
      const at = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
      targets.revoked.refuseIssuedBefore(data.apiKeyId, Number.isFinite(at) ? at : targets.clock.now());
      targets.log.info({ apiKeyId: data.apiKeyId, reason: data.reason }, 'API key changed: its earlier tokens are refused at the edge');
    } else revokeApiKey(data.apiKeyId, data.reason, targets);
  }
}

/** Refuses a revoked key and every token issued for it, on this replica; idempotent. */
export function revokeApiKey(apiKeyId: string, reason: unknown, targets: RevocationTargets): void {
  targets.apiKeys.forget(apiKeyId);
  targets.revoked.revoke(apiKeyId);
  targets.log.info({ apiKeyId, reason }, 'API key revoked: its earlier tokens are refused at the edge');
}
