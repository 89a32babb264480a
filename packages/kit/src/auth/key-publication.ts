/**
 * When signing keys become visible to verifiers, in one place so signer and verifiers agree
 * (they disagreed: a five-minute HTTP cache, a one-minute signer cache, a verifier that never
 * read the keys again unless a token named one it did not know).
 */

/** How long a JWKS answer may be cached (its `Cache-Control: max-age`), and how often verifiers read it again. */
export const jwksMaxAgeSeconds = 60;

/**
 * A new signing key is published this long before it signs: time for the signer's replicas to
 * see it, for any HTTP cache to expire (`jwksMaxAgeSeconds`) and for every verifier to read the
 * keys again (every `jwksMaxAgeSeconds`), with room to spare.
 */
export const keyPublishLeadSeconds = 5 * 60;

/**
 * A token naming a key a verifier does not know makes it read the keys at once — at most this
 * often. Short, because the cooldown is shared by every kid: a token with a made-up kid must not
 * be able to keep a verifier from learning a real new key (an emergency rotation) for long; one
 * read a second per process is nothing to auth.
 */
export const unknownKeyRefetchCooldownMs = 1_000;
