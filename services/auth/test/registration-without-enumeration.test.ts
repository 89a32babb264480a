import { describe, expect, it } from 'vitest';
import type { Response as InjectResponse } from 'light-my-request';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { deliveredMail, mailTo } from './delivered-mail.js';
import { backends, defaultPassword } from './helper.js';

// What differs between any two answers whatever they say: the request's own id and the time.
const perRequest = new Set(['x-request-id', 'date', 'traceparent']);
const comparable = (response: InjectResponse) => ({
  status: response.statusCode,
  headers: Object.fromEntries(Object.entries(response.headers).filter(([name]) => !perRequest.has(name))),
  body: response.body,
});

describe.each(backends)('registration when verification is required, on $name', ({ postgres }) => {
  it('answers a taken address exactly as a new one; the owner is told, the newcomer gets a link', async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres, env: { AUTH_EMAIL_VERIFICATION: 'required' } });
    const register = (password: string) => app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'ada@example.test', password } });
    const fresh = await register(defaultPassword);
    const taken = await register('somebody else entirely');
    expect(fresh.statusCode).toBe(202);
    expect(comparable(taken)).toEqual(comparable(fresh));

    await deliveredMail(inbox, 'ada@example.test', { count: 2 });
    expect(mailTo(inbox, 'ada@example.test').map((mail) => mail.subject)).toEqual(['Confirm your e-mail address', 'Someone tried to register with your address']);
    expect(mailTo(inbox, 'ada@example.test')[1]?.text).not.toContain('token=');
    expect(await db.selectFrom('users').select('email').where('email', '=', 'ada@example.test').execute()).toHaveLength(1);
  });
});
