import { describe, expect, it } from 'vitest';
import { backends, bearer, buildAuth, defaultPassword, registerUser } from './helper.js';

// Review (#21): a member removed while they log in to (or switch to) the organisation. The removal
// revokes the member's refresh tokens with one UPDATE; a family started by a login that read the
// membership before the removal committed, and inserted after that UPDATE's snapshot, escapes it.
// Today the family is held back only by the membership check at each refresh: add the person again
// and the session from before the removal refreshes again.
describe.each(backends)('a member removed while logging in ($name)', ({ postgres }) => {
  it('leaves no session of the removed member that works again once they are added back', { timeout: 120_000 }, async () => {
    const { app } = await buildAuth({ postgres, env: { RATE_LIMIT_CREDENTIALS_PER_IP: '100000' } });
    const owner = await registerUser(app, 'owner@example.com');
    const organisationId = owner.organisationId;
    const revived: string[] = [];
    let raced = 0;
    for (let round = 0; round < 40 && revived.length === 0; round += 1) {
      const email = `member-${round}@example.com`;
      const member = await registerUser(app, email);
      const added = await app.inject({ method: 'POST', url: `/v1/organisations/${organisationId}/members`, headers: bearer(owner), payload: { email, role: 'member' } });
      expect(added.statusCode).toBe(201);
      const login = () => app.inject({ method: 'POST', url: '/v1/login', payload: { email, password: defaultPassword, organisationId } });
      const switchTo = () => app.inject({ method: 'POST', url: '/v1/token/switch', headers: bearer(member), payload: { organisationId } });
      const remove = () => app.inject({ method: 'DELETE', url: `/v1/organisations/${organisationId}/members/${member.userId}`, headers: bearer(owner) });
      const answers = await Promise.all([login(), switchTo(), login(), remove(), login(), switchTo(), login(), switchTo()]);
      expect(answers[3]?.statusCode).toBe(204);
      const sessions = answers.filter((answer, index) => index !== 3 && answer.statusCode === 200).map((answer) => answer.json() as { refreshToken: string });
      raced += sessions.length;
      // Added back, as the removal's own docs contemplate for API keys ("adding them back later brings none back").
      expect((await app.inject({ method: 'POST', url: `/v1/organisations/${organisationId}/members`, headers: bearer(owner), payload: { email, role: 'member' } })).statusCode).toBe(201);
      for (const session of sessions) {
        const refreshed = await app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: session.refreshToken } });
        if (refreshed.statusCode === 200) revived.push(`round ${round}`);
      }
    }
    process.stdout.write(`removal racing logins (${postgres ? 'PostgreSQL' : 'SQLite'}): ${raced} sessions handed out around removals, ${revived.length} revived by re-adding\n`);
    expect(revived).toEqual([]);
  });
});
