/**
 * The one rule for a suite that cannot run here (no PostgreSQL, Redis, openssl or free ports):
 * on a developer's machine it is skipped with a banner nobody can miss; with `CI=true` it fails
 * the run instead, because a green CI that ran nothing proves nothing.
 *
 * Returns whether to skip, for `describe.skipIf(…)`.
 */
export function skipUnless(available: boolean, suite: string, needs: string): boolean {
  if (available) return false;
  // As vitest.config.ts reads it: any CI value but empty or "false" (CI services set true or 1).
  if (process.env.CI && process.env.CI !== 'false') {
    throw new Error(`CI=true: "${suite}" would be skipped for lack of ${needs}; CI must provide it`);
  }
  process.stderr.write(`\n*** SKIPPED: ${suite}, for lack of ${needs} ***\n\n`);
  return true;
}
