import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { testEpoch } from '../support/manual-clock.js';
import { bearerFor, testAccessToken } from '../support/test-token.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const claimsOf = (token: string) => decodeJwt(token);

// bearerFor defaulted to Date.now() while the harness clock (manualClock) starts at testEpoch: a
// token made without atMs was issued at another time than the app under test believed it was.
describe('the harness\'s test tokens are issued on the harness clock', () => {
  it('bearerFor issues at testEpoch unless told otherwise', async () => {
    const { authorization } = await bearerFor({ secret, organisation: 'tenant-1', permissions: [] });
    const claims = claimsOf(authorization.replace(/^Bearer /, ''));
    expect(claims.iat).toBe(testEpoch / 1000);
    expect(claims.exp).toBe(testEpoch / 1000 + 600);
  });

  it('takes an explicit issue time, for suites on the wall clock', async () => {
    const atMs = testEpoch + 86_400_000;
    expect(claimsOf(await testAccessToken({ secret, organisation: 'tenant-1', permissions: [], atMs })).iat).toBe(atMs / 1000);
  });
});
