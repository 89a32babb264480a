import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { backends, buildAuth, defaultPassword, loginUser, registerUser } from './helper.js';

// Regression (issue #10, item 3): bootstrap promoted whatever account had LIFT_ADMIN_EMAIL, so
// whoever registered that address first owned the platform, with their own password.
describe.each(backends)('a LIFT_ADMIN_EMAIL someone registered first on $name', ({ postgres }) => {
  it('is never made platform admin; auth still starts, is ready, and says so at every start', async () => {
    const beforeConfigured = await buildAuth({ postgres, env: { LIFT_ADMIN_EMAIL: '' } });
    await registerUser(beforeConfigured.app, 'boss@example.com');
    const operator = { LIFT_ADMIN_EMAIL: 'Boss@Example.com', LIFT_ADMIN_PASSWORD: 'the operator\'s passphrase' };

    for (let start = 1; start <= 2; start += 1) {
      const auth = await buildAuth({ postgres, storage: beforeConfigured.storage, captureLogs: true, env: operator });
      expect((await auth.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
      expect(await auth.db.selectFrom('memberships').selectAll().where('organisation_id', '=', 'platform').execute()).toEqual([]);
      const errors = auth.logs.filter((line) => line.level === 'error');
      expect(errors).toEqual([expect.objectContaining({ code: 'AUTH_PLATFORM_ADMIN_EMAIL_TAKEN', email: 'boss@example.com' })]);
      expect(errors[0]?.msg).toMatch(/nobody was made platform admin.*another address.*delete that account/);

      const squatter = await loginUser(auth.app, 'boss@example.com', defaultPassword);
      expect(decodeJwt(squatter.accessToken)).not.toMatchObject({ org: 'platform' });
      expect(decodeJwt(squatter.accessToken).perms).not.toContain('platform:admin');
      const asOperator = await auth.app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'boss@example.com', password: operator.LIFT_ADMIN_PASSWORD } });
      expect(asOperator.statusCode).toBe(401);
    }
  });
});
