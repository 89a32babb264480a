import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { keysOf, type Clock, type JsonWebKeySet, type KeySource } from '@lift/kit';
import type { AuthTables } from './tables.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

export interface SigningKeyRingOptions {
  readonly db: Kysely<AuthTables>;
  readonly clock: Clock;
  readonly rotationDays: number;
  /** The longest an access token lives: a retired key stays published this long (plus a margin). */
  readonly maxTokenLifetimeSeconds: number;
}

/**
 * Ed25519 signing keys kept in the database so every replica signs with the same ones. The
 * newest key signs until its rotation date; then a new key takes over and the old one stays in
 * the JWKS until every token it signed has expired, so rotation never invalidates a live token.
 */
export class SigningKeyRing {
  private readonly options: SigningKeyRingOptions;
  private signing: { key: SigningKey; until: number } | undefined;
  private published: { jwks: JsonWebKeySet; loadedAt: number } | undefined;

  constructor(options: SigningKeyRingOptions) {
    this.options = options;
  }

  /** The key to sign with now, rotating first when the current one's time is up. */
  async current(): Promise<SigningKey> {
    const now = this.options.clock.now();
    if (this.signing && this.signing.until > now) return this.signing.key;
    const nowIso = new Date(now).toISOString();
    const row = await this.options.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('sign_until', '>', nowIso)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const chosen = row ?? (await this.rotate());
    this.signing = {
      key: { kid: chosen.kid, privateKey: createPrivateKey({ key: JSON.parse(chosen.private_jwk) as import('node:crypto').JsonWebKey, format: 'jwk' }) },
      until: Date.parse(chosen.sign_until),
    };
    this.published = undefined;
    return this.signing.key;
  }

  /** Creates a new signing key now (scheduled rotation, or an operator's emergency rotation). */
  async rotate(): Promise<AuthTables['signing_keys']> {
    const now = this.options.clock.now();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicJwk = publicKey.export({ format: 'jwk' });
    const kid = thumbprint(publicJwk.x as string);
    const signUntil = now + this.options.rotationDays * 86_400_000;
    const row = {
      kid,
      algorithm: 'EdDSA',
      public_jwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, kid, alg: 'EdDSA', use: 'sig' }),
      private_jwk: JSON.stringify(privateKey.export({ format: 'jwk' })),
      created_at: new Date(now).toISOString(),
      sign_until: new Date(signUntil).toISOString(),
      publish_until: new Date(signUntil + (this.options.maxTokenLifetimeSeconds + 300) * 1000).toISOString(),
    };
    await this.options.db.insertInto('signing_keys').values(row).execute();
    this.signing = undefined;
    this.published = undefined;
    return row;
  }

  /** The public keys tokens may still carry, for `/.well-known/jwks.json`. */
  async jwks(): Promise<JsonWebKeySet> {
    const now = this.options.clock.now();
    if (this.published && now - this.published.loadedAt < 60_000) return this.published.jwks;
    await this.current();
    const rows = await this.options.db
      .selectFrom('signing_keys')
      .select('public_jwk')
      .where('publish_until', '>', new Date(now).toISOString())
      .orderBy('created_at', 'desc')
      .execute();
    const jwks = { keys: rows.map((row) => JSON.parse(row.public_jwk) as Record<string, unknown>) };
    this.published = { jwks, loadedAt: now };
    return jwks;
  }

  /** The ring as a verifier's key source: a kid it does not know (another replica rotated) reloads it. */
  keySource(): KeySource {
    let keys = new Map<string, KeyObject>();
    let lastReload = Number.NEGATIVE_INFINITY;
    return {
      keyFor: (kid) => keys.get(kid),
      refreshFor: async (kid) => {
        // Tokens naming made-up kids must not turn into one database query each.
        if (keys.has(kid) || this.options.clock.now() - lastReload < 5_000) return keys.has(kid);
        lastReload = this.options.clock.now();
        this.published = undefined;
        keys = keysOf(await this.jwks());
        return keys.has(kid);
      },
    };
  }
}

/** RFC 7638 JWK thumbprint of an Ed25519 public key: a stable, content-derived kid. */
function thumbprint(x: string): string {
  return createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
}
