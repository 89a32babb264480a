import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { isUniqueViolation, keyPublishLeadSeconds, keysOf, NotFoundError, type Clock, type JsonWebKeySet, type KeySource, type Logger, type SharedState } from '@lift/kit';
import { authErrorCodes } from './errors.js';
import type { SigningKeyRow, SigningKeysStore } from './store/signing-keys-store.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

export interface SigningKeyRingOptions {
  readonly store: SigningKeysStore;
  readonly clock: Clock;
  readonly rotationDays: number;
  /** The longest an access token lives: a retired key stays published this long (plus a margin). */
  readonly maxTokenLifetimeSeconds: number;
  /** Replicas announce key changes to each other here (a revocation must not wait for a cache). */
  readonly state: SharedState;
  readonly log: Logger;
}

export interface SigningKeySummary {
  readonly kid: string;
  readonly algorithm: string;
  readonly state: 'scheduled' | 'signing' | 'retired' | 'revoked';
  readonly createdAt: string;
  readonly signFrom: string;
  readonly signUntil: string;
  readonly publishUntil: string;
  readonly revokedAt: string | null;
}

const changesChannel = 'auth:signing-keys';
const leadMs = keyPublishLeadSeconds * 1000;
// How long a replica trusts what it read; a change announced by another replica clears it at once.
const recheckMs = 10_000;

/**
 * Ed25519 signing keys kept in the database so every replica signs with the same ones. A key is
 * published (in the JWKS) well before it signs — the successor of the signing key is created two
 * lead times before the switch, and an operator's rotation starts one lead time later — so every
 * verifier has read it by the time its first token arrives. A retired key stays published until
 * every token it signed has expired; a revoked key leaves the JWKS at once.
 */
export class SigningKeyRing {
  private readonly options: SigningKeyRingOptions;
  private signing: { key: SigningKey; checkAt: number } | undefined;
  private published: { jwks: JsonWebKeySet; loadedAt: number } | undefined;
  private generation = 0;

  constructor(options: SigningKeyRingOptions) {
    this.options = options;
  }

  /** Listens for other replicas' key changes; returns how to stop listening. */
  async followChanges(): Promise<() => Promise<void>> {
    return this.options.state.subscribe(changesChannel, () => this.forget());
  }

  /** The key to sign with now, scheduling its successor when its time is nearly up. */
  async current(): Promise<SigningKey> {
    const now = this.options.clock.now();
    if (this.signing && now < this.signing.checkAt) return this.signing.key;
    const at = new Date(now).toISOString();
    const row = (await this.options.store.signingAt(at)) ?? (await this.createKey(now));
    await this.scheduleSuccessor(row, now);
    this.signing = { key: { kid: row.kid, privateKey: createPrivateKey({ key: JSON.parse(row.private_jwk) as import('node:crypto').JsonWebKey, format: 'jwk' }) }, checkAt: Math.min(Date.parse(row.sign_until), now + recheckMs) };
    return this.signing.key;
  }

  /**
   * A new key. Scheduled (the default), it signs after one lead time, when every verifier has
   * seen it; `immediately` is for a compromised key, when fresh tokens may be refused for a while
   * by verifiers that have not read the keys again yet.
   */
  async rotate(options: { immediately?: boolean } = {}): Promise<SigningKeySummary> {
    const now = this.options.clock.now();
    const signFrom = options.immediately ? now : now + leadMs;
    const current = await this.options.store.signingAt(new Date(now).toISOString());
    const row = await this.createKey(signFrom, { distinct: true });
    if (current) await this.options.store.endSigningAt(current.kid, row.sign_from);
    await this.options.store.discardUnstartedAfter(row.sign_from, row.kid);
    await this.announce();
    return this.summary(row, now);
  }

  /** Removes a key from the JWKS now; when it was signing, a new key signs at once. */
  async revoke(kid: string): Promise<SigningKeySummary> {
    const now = this.options.clock.now();
    const row = await this.options.store.byKid(kid);
    if (!row) throw new NotFoundError(authErrorCodes.signingKeyNotFound, `No signing key ${kid}.`);
    const at = new Date(now).toISOString();
    const wasSigning = row.revoked_at === null && row.sign_from <= at && row.sign_until > at;
    await this.options.store.revoke(kid, at);
    this.options.log.warn({ kid }, 'signing key revoked: tokens it signed are refused from now on');
    if (wasSigning) await this.rotate({ immediately: true });
    else await this.announce();
    return this.summary((await this.options.store.byKid(kid)) as SigningKeyRow, now);
  }

  async list(): Promise<SigningKeySummary[]> {
    const now = this.options.clock.now();
    return (await this.options.store.all()).map((row) => this.summary(row, now));
  }

  /** The public keys for `/.well-known/jwks.json`: scheduled, signing, and retired ones whose tokens may live. */
  async jwks(): Promise<JsonWebKeySet> {
    const now = this.options.clock.now();
    if (this.published && now - this.published.loadedAt < recheckMs) return this.published.jwks;
    await this.current();
    const rows = await this.options.store.publishedAt(new Date(now).toISOString());
    const jwks = { keys: rows.map((row) => JSON.parse(row.public_jwk) as Record<string, unknown>) };
    this.published = { jwks, loadedAt: now };
    return jwks;
  }

  /**
   * The ring as this service's own verifier's key source: the published keys, read again when
   * older than the recheck time, when a token names an unknown kid (another replica rotated), and
   * at once when a replica announces a change — so a revoked key is refused here immediately.
   */
  keySource(): KeySource {
    let keys = new Map<string, KeyObject>();
    let loadedAt = Number.NEGATIVE_INFINITY;
    let loadedGeneration = -1;
    let loading: Promise<void> | undefined;
    const load = (): Promise<void> => {
      loading ??= (async () => {
        const generation = this.generation;
        const at = this.options.clock.now();
        this.published = undefined;
        keys = keysOf(await this.jwks());
        loadedAt = at;
        loadedGeneration = generation;
      })().finally(() => (loading = undefined));
      return loading;
    };
    return {
      keyFor: (kid) => {
        if (loadedGeneration !== this.generation) {
          // Announced change (a revocation): stop trusting what was read before it.
          keys = new Map();
          load().catch((error: unknown) => this.options.log.warn({ err: error }, 'reading the signing keys failed'));
        } else if (this.options.clock.now() - loadedAt >= recheckMs) {
          load().catch((error: unknown) => this.options.log.warn({ err: error }, 'reading the signing keys failed'));
        }
        return keys.get(kid);
      },
      refreshFor: async (kid) => {
        // Tokens naming made-up kids must not turn into one database query each.
        if (keys.has(kid)) return true;
        if (loadedGeneration === this.generation && this.options.clock.now() - loadedAt < 5_000) {
          if (loading) await loading.catch(() => undefined);
          return keys.has(kid);
        }
        await load();
        return keys.has(kid);
      },
    };
  }

  private forget(): void {
    this.signing = undefined;
    this.published = undefined;
    this.generation += 1;
  }

  private async announce(): Promise<void> {
    this.forget();
    await this.options.state.publish(changesChannel, String(this.options.clock.now())).catch((error: unknown) => this.options.log.warn({ err: error }, 'announcing a signing-key change failed; other replicas see it within seconds'));
  }

  private async scheduleSuccessor(row: SigningKeyRow, now: number): Promise<void> {
    if (now < Date.parse(row.sign_until) - 2 * leadMs) return;
    if (await this.options.store.startingAt(row.sign_until)) return;
    await this.createKey(Date.parse(row.sign_until));
    await this.announce();
  }

  /**
   * Inserts a key signing from `signFrom`. Replicas scheduling the same start collide on it and
   * the first one's key is used by all; a `distinct` key (an operator's rotation) moves on by a
   * millisecond instead.
   */
  private async createKey(signFrom: number, options: { distinct?: boolean } = {}): Promise<SigningKeyRow> {
    const now = this.options.clock.now();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicJwk = publicKey.export({ format: 'jwk' });
    const kid = thumbprint(publicJwk.x as string);
    const signUntil = signFrom + this.options.rotationDays * 86_400_000;
    const row: SigningKeyRow = {
      kid,
      algorithm: 'EdDSA',
      public_jwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, kid, alg: 'EdDSA', use: 'sig' }),
      private_jwk: JSON.stringify(privateKey.export({ format: 'jwk' })),
      created_at: new Date(now).toISOString(),
      sign_from: new Date(signFrom).toISOString(),
      sign_until: new Date(signUntil).toISOString(),
      publish_until: new Date(signUntil + (this.options.maxTokenLifetimeSeconds + 300) * 1000).toISOString(),
      revoked_at: null,
    };
    try {
      await this.options.store.insert(row);
      return row;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (options.distinct) return this.createKey(signFrom + 1, options);
      const winner = await this.options.store.startingAt(row.sign_from);
      if (!winner) throw error;
      return winner;
    }
  }

  private summary(row: SigningKeyRow, now: number): SigningKeySummary {
    const at = new Date(now).toISOString();
    const state = row.revoked_at !== null ? 'revoked' : row.sign_from > at ? 'scheduled' : row.sign_until > at ? 'signing' : 'retired';
    return { kid: row.kid, algorithm: row.algorithm, state, createdAt: row.created_at, signFrom: row.sign_from, signUntil: row.sign_until, publishUntil: row.publish_until, revokedAt: row.revoked_at };
  }
}

/** RFC 7638 JWK thumbprint of an Ed25519 public key: a stable, content-derived kid. */
function thumbprint(x: string): string {
  return createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
}
