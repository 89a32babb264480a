import { describe, expect, it } from 'vitest';
import { invitationMail } from '../src/account-mail.js';
import { bearer, buildAuth, registerUser } from './helper.js';

// Review of issue #12: an organisation's name goes into invitation mail under our From, so a
// name with line breaks could paste a paragraph of phishing text into it.
describe('organisation names and the mail they go into', () => {
  it('refuses control characters in an organisation\'s name with a 400 naming the field', async () => {
    const { app } = await buildAuth();
    const owner = await registerUser(app, 'ada@example.test');
    for (const name of ['Acme\r\nYour account is locked: https://evil.test', 'Tab\there', 'Bell\u0007', 'Del\u007f']) {
      const refused = await app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(owner), payload: { name } });
      expect(refused.statusCode).toBe(400);
      expect(JSON.stringify(refused.json())).toContain('body.name');
    }
    const registered = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'grace@example.test', password: 'a long enough passphrase', organisationName: 'Grace\nCorp' } });
    expect(registered.statusCode).toBe(400);
    expect(JSON.stringify(registered.json())).toContain('body.organisationName');
    expect((await app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(owner), payload: { name: 'Ünïcode & Söhne — Ltd.' } })).statusCode).toBe(201);
  });

  it('collapses whitespace in the name it writes into an invitation (names from before the rule)', () => {
    const mail = invitationMail({ PUBLIC_URL: 'https://lift.test' }, 'alan@example.test', { organisationName: 'Acme\r\n\r\nYour account  is locked\u0000', role: 'member', token: 'lift_inv_x', days: 7 });
    expect(mail.subject).toBe('You are invited to Acme Your account is locked');
    expect(mail.text.split('\n')[0]).toBe('You are invited to join Acme Your account is locked as member. Open this link to accept:');
  });
});
