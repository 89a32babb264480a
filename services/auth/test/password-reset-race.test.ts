import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backends, buildAuth, defaultPassword, registerUser, type AuthUnderTest } from './helper.js';

const newPassword = 'a brand new passphrase';

/** A reset link for the account, arranged in the table (the mail round trip is tested elsewhere). */
async function resetToken(auth: AuthUnderTest, email: string): Promise<string> {
  const user = await auth.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const token = `lift_pr_${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  await auth.db
    .insertInto('account_tokens')
    .values({ id: randomUUID(), user_id: user.id, purpose: 'password-reset', token_hash: createHash('sha256').update(token).digest('hex'), created_at: now.toISOString(), expires_at: new Date(now.getTime() + 3_600_000).toISOString(), used_at: null })
    .execute();
  return token;
}

async function refreshes(auth: AuthUnderTest, refreshToken: string): Promise<number> {
  return (await auth.app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken } })).statusCode;
}

// Review of issue #12: a reset must end the sessions that refresh or log in while it runs.
describe.each(backends)('a password reset racing the account\'s sessions on $name', ({ postgres }) => {
  it('leaves no live session from refreshes running at the same time', async () => {
    const auth = await buildAuth({ postgres });
    const rounds = 10;
    let survivors = 0;
    for (let round = 0; round < rounds; round += 1) {
      const email = `refresh-race-${round}@example.test`;
      const first = await registerUser(auth.app, email);
      const others = await Promise.all([0, 1, 2].map(async () => (await auth.app.inject({ method: 'POST', url: '/v1/login', payload: { email, password: defaultPassword } })).json<{ refreshToken: string }>()));
      const token = await resetToken(auth, email);
      const [reset, ...rotated] = await Promise.all([
        auth.app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: newPassword } }),
        ...[first, ...others].map((session) => auth.app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: session.refreshToken } })),
      ]);
      expect(reset?.statusCode).toBe(204);
      for (const answer of rotated) {
        if (answer.statusCode !== 200) continue;
        if ((await refreshes(auth, answer.json<{ refreshToken: string }>().refreshToken)) === 200) survivors += 1;
      }
    }
    expect(survivors).toBe(0);
  });

  it('leaves no live session from logins with the old password running at the same time', async () => {
    const auth = await buildAuth({ postgres });
    const rounds = 10;
    let survivors = 0;
    for (let round = 0; round < rounds; round += 1) {
      const email = `login-race-${round}@example.test`;
      await registerUser(auth.app, email);
      const token = await resetToken(auth, email);
      const [reset, ...logins] = await Promise.all([
        auth.app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: newPassword } }),
        ...[0, 1].map(() => auth.app.inject({ method: 'POST', url: '/v1/login', payload: { email, password: defaultPassword } })),
      ]);
      expect(reset?.statusCode).toBe(204);
      for (const answer of logins) {
        if (answer.statusCode !== 200) continue;
        if ((await refreshes(auth, answer.json<{ refreshToken: string }>().refreshToken)) === 200) survivors += 1;
      }
    }
    expect(survivors).toBe(0);
  });

  it('keeps the new password when a login with the old one upgrades its hash at the same time', async () => {
    const registering = await buildAuth({ postgres });
    // Stronger hashing settings than the stored hashes': every login here rehashes the password.
    const auth = await buildAuth({ postgres, storage: registering.storage, passwordHashing: { memoryCost: 2048, timeCost: 1, parallelism: 1 } });
    const lost: string[] = [];
    for (let round = 0; round < 8; round += 1) {
      const email = `rehash-race-${round}@example.test`;
      await registerUser(registering.app, email);
      const token = await resetToken(auth, email);
      const [reset] = await Promise.all([
        auth.app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: newPassword } }),
        auth.app.inject({ method: 'POST', url: '/v1/login', payload: { email, password: defaultPassword } }),
      ]);
      expect(reset.statusCode).toBe(204);
      if ((await auth.app.inject({ method: 'POST', url: '/v1/login', payload: { email, password: newPassword } })).statusCode !== 200) lost.push(email);
    }
    expect(lost).toEqual([]);
  });
});
