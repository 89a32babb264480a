import { describe, expect, it } from 'vitest';
import { backends, bearer, buildAuth, registerUser } from './helper.js';

// Review of issue #12: parallel invitations of one address each revoked the pending one and
// inserted their own, so on PostgreSQL several stayed pending together.
describe.each(backends)('parallel invitations of one address on $name', ({ postgres }) => {
  it('leave exactly one pending: the newer replaces the pending one atomically', async () => {
    const { app, db } = await buildAuth({ postgres, env: { MAIL_LIMIT_PER_RECIPIENT_PER_HOUR: '1000', MAIL_LIMIT_PER_CLIENT_PER_HOUR: '1000', MAIL_LIMIT_PER_RECIPIENT_PER_CLIENT_PER_HOUR: '1000' } });
    const owner = await registerUser(app, 'owner@example.test');
    for (let round = 0; round < 5; round += 1) {
      const email = `invitee-${round}@example.test`;
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/invitations`, headers: bearer(owner), payload: { email, role: 'member' } })),
      );
      expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 201));
      const pending = await db.selectFrom('invitations').select('id').where('email', '=', email).where('accepted_at', 'is', null).where('revoked_at', 'is', null).execute();
      expect(pending).toHaveLength(1);
    }
  });
});
