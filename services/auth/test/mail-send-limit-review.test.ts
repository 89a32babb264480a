import { describe, expect, it } from 'vitest';
import { backends, bearer, buildAuth, registerUser } from './helper.js';

// Review of issue #12: the per-recipient send limit could be spent by a stranger to block the
// owner's own password reset, and sub-addresses (ada+1@, ada+2@) each had a budget of their own.
describe.each(backends)('the mail send limits on $name', ({ postgres }) => {
  it('lets the owner of an address reset their password after a stranger spent their own budget for it', async () => {
    const { app, db, workAccountRequests } = await buildAuth({ postgres });
    await registerUser(app, 'ada@example.test');
    const resets = async () => (await workAccountRequests(), await db.selectFrom('mail_outbox').select('id').where('recipient', '=', 'ada@example.test').where('kind', '=', 'password-reset').execute()).length;
    for (let request = 0; request < 8; request += 1) {
      const asked = await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'ada@example.test' }, remoteAddress: '203.0.113.7' });
      expect(asked.statusCode).toBe(202);
    }
    expect(await resets()).toBe(5);
    await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'ada@example.test' }, remoteAddress: '198.51.100.2' });
    expect(await resets()).toBe(6);
  });

  it('caps what one mailbox receives from all clients together', async () => {
    const { app, db, workAccountRequests } = await buildAuth({ postgres, env: { MAIL_LIMIT_PER_RECIPIENT_PER_HOUR: '7', MAIL_LIMIT_PER_RECIPIENT_PER_CLIENT_PER_HOUR: '3' } });
    await registerUser(app, 'grace@example.test');
    const before = (await db.selectFrom('mail_outbox').select('id').where('recipient', '=', 'grace@example.test').execute()).length;
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) {
      for (let request = 0; request < 4; request += 1) await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'grace@example.test' }, remoteAddress: client });
    }
    // Seven in all (the registration's verification link counted too), at most three per client.
    await workAccountRequests();
    expect((await db.selectFrom('mail_outbox').select('id').where('recipient', '=', 'grace@example.test').execute()).length).toBe(7);
    expect(before).toBe(1);
  });

  it('counts the sub-addresses of a mailbox (local+tag@) as the mailbox', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.test');
    const statuses: number[] = [];
    for (const tag of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      const invited = await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/invitations`, headers: bearer(owner), payload: { email: `Alan+${tag}@Example.test`, role: 'member' } });
      statuses.push(invited.statusCode);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
  });
});
