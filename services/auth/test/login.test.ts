import { describe, expect, it } from 'vitest';
import { owaspPasswordHashing } from '../src/passwords.js';
import { backends, bearer, buildAuth, defaultPassword, loginUser, registerUser } from './helper.js';

describe.each(backends)('login on $name', ({ postgres }) => {
  it('starts a session in the user\'s organisation', async () => {
    const { app } = await buildAuth({ postgres });
    const registered = await registerUser(app, 'ada@example.com');
    const session = await loginUser(app, 'ADA@example.com');
    expect(session.organisationId).toBe(registered.organisationId);
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session) })).statusCode).toBe(200);
  });

  it('gives the same answer for a wrong password and an unknown account', async () => {
    const { app } = await buildAuth({ postgres });
    await registerUser(app, 'ada@example.com');
    const wrongPassword = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.com', password: 'not the passphrase' } });
    const unknown = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'nobody@example.com', password: 'not the passphrase' } });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrongPassword.json())).toEqual(strip(unknown.json()));
    expect(wrongPassword.json().code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('lands in the organisation asked for, and refuses one the user is not in', async () => {
    const { app } = await buildAuth({ postgres });
    const ada = await registerUser(app, 'ada@example.com');
    const second = await app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(ada), payload: { name: 'Second' } });
    const secondId = second.json().id as string;
    expect((await loginUser(app, 'ada@example.com', defaultPassword, secondId)).organisationId).toBe(secondId);
    const grace = await registerUser(app, 'grace@example.com');
    const refused = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.com', password: defaultPassword, organisationId: grace.organisationId } });
    expect(refused.statusCode).toBe(403);
  });

  it('switches organisation with a new token for another organisation the user belongs to', async () => {
    const { app } = await buildAuth({ postgres });
    const ada = await registerUser(app, 'ada@example.com');
    const other = (await app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(ada), payload: { name: 'Other' } })).json();
    const switched = await app.inject({ method: 'POST', url: '/v1/token/switch', headers: bearer(ada), payload: { organisationId: other.id } });
    expect(switched.statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(switched.json()) });
    expect(me.json().organisationId).toBe(other.id);
    const grace = await registerUser(app, 'grace@example.com');
    const refused = await app.inject({ method: 'POST', url: '/v1/token/switch', headers: bearer(ada), payload: { organisationId: grace.organisationId } });
    expect(refused.statusCode).toBe(403);
  });

  it('rehashes a password stored with weaker argon2 parameters', async () => {
    const weak = await buildAuth({ postgres });
    await registerUser(weak.app, 'ada@example.com');
    const weakHash = (await weak.db.selectFrom('users').select('password_hash').where('email', '=', 'ada@example.com').executeTakeFirstOrThrow()).password_hash;
    expect(weakHash).toMatch(/m=1024,t=1,p=1/);

    const { app, db } = await buildAuth({ postgres, passwordHashing: owaspPasswordHashing });
    await registerUser(app, 'ada@example.com');
    await db.updateTable('users').set({ password_hash: weakHash }).where('email', '=', 'ada@example.com').execute();
    await loginUser(app, 'ada@example.com');
    const rehashed = (await db.selectFrom('users').select('password_hash').where('email', '=', 'ada@example.com').executeTakeFirstOrThrow()).password_hash;
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
