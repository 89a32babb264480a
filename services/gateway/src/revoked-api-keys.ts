import type { Clock } from '@lift/kit';

// Longer than any API-key token lives (auth's API_KEY_TOKEN_TTL_SECONDS, 5 minutes by default).
const holdMs = 15 * 60_000;
const maxEntries = 100_000;

/**
 * API keys revoked since this replica started, so a token already exchanged for one is refused
 * at the edge — whether the gateway exchanged it (X-API-Key) or the client did and sends it as a
 * Bearer token — until it would have expired anyway.
 */
export class RevokedApiKeys {
  private readonly until = new Map<string, number>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  revoke(apiKeyId: string): void {
    if (this.until.size >= maxEntries) this.until.delete(this.until.keys().next().value as string);
    this.until.delete(apiKeyId);
    this.until.set(apiKeyId, this.clock.now() + holdMs);
  }

  /** Whether a token's subject is an API key revoked within the hold time. */
  isRevokedSubject(subject: string): boolean {
    if (this.until.size === 0 || !subject.startsWith('apikey:')) return false;
    const id = subject.slice('apikey:'.length);
    const until = this.until.get(id);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.until.delete(id);
    return false;
  }
}
