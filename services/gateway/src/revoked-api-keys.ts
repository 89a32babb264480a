import type { Clock, Identity } from '@lift/kit';

/** Longer than any API-key token lives (auth's API_KEY_TOKEN_TTL_SECONDS, 5 minutes by default). */
export const revocationHoldMs = 15 * 60_000;
const holdMs = revocationHoldMs;
const maxEntries = 100_000;

/**
 * API keys auth told this replica about (revoked, or their creator removed or demoted), with
 * when: a token issued for such a key before that moment is refused at the edge — whether the
 * gateway exchanged it (X-API-Key) or the client did and sends it as a Bearer token. Tokens issued
 * after it carry what auth grants the key now (nothing, for a revoked key: its exchange fails).
 */
export class RevokedApiKeys {
  private readonly since = new Map<string, { atSeconds: number; until: number }>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** Every token of the key is refused (it was revoked, or its creator left: no exchange succeeds). */
  revoke(apiKeyId: string): void {
    this.remember(apiKeyId, Number.POSITIVE_INFINITY);
  }

  /**
   * Tokens issued before `atMs` are refused (the key's permissions changed then; newer tokens carry
   * the new ones). `atMs` is auth's time of the change, the clock the tokens' `iat` come from.
   */
  refuseIssuedBefore(apiKeyId: string, atMs: number): void {
    this.remember(apiKeyId, Math.floor(atMs / 1000));
  }

  private remember(apiKeyId: string, atSeconds: number): void {
    if (this.since.size >= maxEntries) this.since.delete(this.since.keys().next().value as string);
    this.since.delete(apiKeyId);
    this.since.set(apiKeyId, { atSeconds, until: this.clock.now() + holdMs });
  }

  /** Whether a token is an API key's, issued before auth revoked or changed that key. */
  isRevoked(identity: Identity): boolean {
    if (this.since.size === 0 || !identity.subject.startsWith('apikey:')) return false;
    const id = identity.subject.slice('apikey:'.length);
    const entry = this.since.get(id);
    if (entry === undefined) return false;
    if (entry.until <= this.clock.now()) {
      this.since.delete(id);
      return false;
    }
    return identity.issuedAt < entry.atSeconds;
  }
}
