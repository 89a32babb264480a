// Token verification and login benchmark (run by hand: `node --import tsx bench/auth/token-verification.ts`).
// Measures, in one run, access-token verifications per second on one core:
//   kit verifier, repeated token    — the cache path every request after the first takes
//   kit verifier, distinct tokens   — a fresh token each time (node:crypto Ed25519 / HMAC + claim checks)
//   jose jwtVerify, distinct tokens — the baseline the issue names (WebCrypto, asynchronous)
// and the latency of argon2id at OWASP's parameters (hash, verify) and of a whole login.
// Aim (issue #3): >= 20,000 verifications/s for both kit paths.
import { generateKeyPairSync } from 'node:crypto';
import { jwtVerify, importJWK, SignJWT } from 'jose';
import { createAccessTokenVerifier, staticKeySource, systemClock } from '@lift/kit';
import { hashPassword, owaspPasswordHashing, passwordMatches } from '../../services/auth/src/passwords.js';

const distinctCount = Number(process.env.TOKENS ?? 20_000);
const rounds = Number(process.env.ROUNDS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', use: 'sig', alg: 'EdDSA' };
const hmacSecret = Buffer.alloc(32, 7);
const now = Math.floor(Date.now() / 1000);

async function mint(count: number, algorithm: 'EdDSA' | 'HS256'): Promise<string[]> {
  const tokens: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const jwt = new SignJWT({ org: 'org-1', roles: ['member'], perms: ['memory:read', 'memory:write'] })
      .setSubject(`user-${index}`)
      .setIssuer('http://localhost:8000/auth')
      .setAudience('lift-os')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .setJti(`jti-${index}`);
    tokens.push(algorithm === 'EdDSA' ? await jwt.setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'bench' }).sign(privateKey) : await jwt.setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(hmacSecret));
  }
  return tokens;
}

async function perSecond(tokens: string[], verify: (token: string) => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  for (const token of tokens) await verify(token);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return tokens.length / seconds;
}

const edTokens = await mint(distinctCount, 'EdDSA');
const hsTokens = await mint(distinctCount, 'HS256');
const repeated = Array.from({ length: distinctCount }, () => edTokens[0] as string);
const joseKey = await importJWK(publicJwk, 'EdDSA');

const results: Record<string, number[]> = {
  'kit EdDSA, repeated token': [],
  'kit EdDSA, distinct tokens': [],
  'kit HS256, distinct tokens': [],
  'jose EdDSA, distinct tokens (baseline)': [],
};
for (let round = 0; round < rounds; round += 1) {
  // A fresh verifier per round, so "distinct" never hits the cache.
  const ed = createAccessTokenVerifier({ keys: { algorithm: 'EdDSA', keys: staticKeySource({ keys: [publicJwk] }) }, issuer: 'http://localhost:8000/auth', audience: 'lift-os', clock: systemClock, cacheSize: distinctCount * 2 });
  const hs = createAccessTokenVerifier({ keys: { algorithm: 'HS256', secret: hmacSecret }, issuer: 'http://localhost:8000/auth', audience: 'lift-os', clock: systemClock, cacheSize: distinctCount * 2 });
  results['kit EdDSA, distinct tokens']?.push(await perSecond(edTokens, (token) => ed.verify(token)));
  results['kit EdDSA, repeated token']?.push(await perSecond(repeated, (token) => ed.verify(token)));
  results['kit HS256, distinct tokens']?.push(await perSecond(hsTokens, (token) => hs.verify(token)));
  results['jose EdDSA, distinct tokens (baseline)']?.push(await perSecond(edTokens, (token) => jwtVerify(token, joseKey, { issuer: 'http://localhost:8000/auth', audience: 'lift-os', typ: 'at+jwt' })));
}
const baseline = median(results['jose EdDSA, distinct tokens (baseline)'] ?? []);
process.stdout.write(`token verification, ${distinctCount} tokens x ${rounds} rounds, one core (median)\n`);
for (const [name, values] of Object.entries(results)) {
  const value = median(values);
  process.stdout.write(`  ${name.padEnd(40)} ${Math.round(value).toString().padStart(9)} /s   ${(1e6 / value).toFixed(1).padStart(6)} µs   ${(value / baseline).toFixed(1)}x jose\n`);
}

const hashTimes: number[] = [];
const verifyTimes: number[] = [];
let stored = '';
for (let index = 0; index < 15; index += 1) {
  let started = performance.now();
  stored = await hashPassword(`a long enough passphrase ${index}`, owaspPasswordHashing);
  hashTimes.push(performance.now() - started);
  started = performance.now();
  await passwordMatches(stored, `a long enough passphrase ${index}`);
  verifyTimes.push(performance.now() - started);
}
process.stdout.write(`\nargon2id m=19456 KiB, t=2, p=1 (median of 15): hash ${median(hashTimes).toFixed(1)} ms, verify ${median(verifyTimes).toFixed(1)} ms\n`);
