/**
 * The one rule for a suite that cannot run here (no PostgreSQL, Redis, openssl or free ports):
 * on a developer's machine it is skipped with a banner nobody can miss; with `CI=true` it fails
 * the run instead, because a green CI that ran nothing proves nothing.
 *
 * Returns whether to skip, for `describe.skipIf(…)`.
 */
export function skipUnless(available: boolean, suite: string, needs: string): boolean {
  if (available) return false;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true: "${suite}" would be skipped for lack of ${needs}; CI must provide it`);
  }
  process.stderr.write(`\n*** SKIPPED: ${suite}, for lack of ${needs} ***\n\n`);
  return true;
}
