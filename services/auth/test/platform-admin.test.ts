import { describe, expect, it } from 'vitest';
import { backends, bearer, buildAuth, loginUser } from './helper.js';

describe.each(backends)('the platform organisation on $name', ({ postgres }) => {
  it('is created at start with its first admin, who holds the platform permissions', async () => {
    const { app } = await buildAuth({ postgres });
    const admin = await loginUser(app, 'admin@lift.test', 'platform admin passphrase');
    expect(admin.organisationId).toBe('platform');
    const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(admin) })).json();
    expect(me.memberships).toEqual([expect.objectContaining({ organisationId: 'platform', kind: 'platform', role: 'owner' })]);
    expect(me.permissions).toEqual(expect.arrayContaining(['platform:admin', 'registry:admin', 'billing:admin', 'observability:read']));
  });

  it('is created once however often the service starts, and never overwrites the admin\'s password', async () => {
    const first = await buildAuth({ postgres });
    const restarted = await buildAuth({ postgres, storage: first.storage, env: { LIFT_ADMIN_PASSWORD: 'a different passphrase now' } });
    const organisations = await first.db.selectFrom('organisations').selectAll().where('kind', '=', 'platform').execute();
    expect(organisations).toHaveLength(1);
    const memberships = await first.db.selectFrom('memberships').selectAll().where('organisation_id', '=', 'platform').execute();
    expect(memberships).toHaveLength(1);
    // Bootstrap records that it created the account: that is what lets it promote the account.
    const admin = await first.db.selectFrom('users').selectAll().where('id', '=', memberships[0]?.user_id as string).executeTakeFirstOrThrow();
    expect(admin).toMatchObject({ email: 'admin@lift.test', origin: 'bootstrap' });
    const again = await buildAuth({ postgres, storage: first.storage, captureLogs: true });
    expect(again.logs.filter((line) => line.level === 'error')).toEqual([]);
    expect(await again.db.selectFrom('memberships').selectAll().where('organisation_id', '=', 'platform').execute()).toEqual(memberships);
    await loginUser(restarted.app, 'admin@lift.test', 'platform admin passphrase');
    const refused = await restarted.app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'admin@lift.test', password: 'a different passphrase now' } });
    expect(refused.statusCode).toBe(401);
  });

  it('is not created with a password the policy would refuse anyone else', async () => {
    const { app, db, logs } = await buildAuth({ postgres, env: { LIFT_ADMIN_PASSWORD: 'shortpwXYZ' }, captureLogs: true });
    expect(await db.selectFrom('users').selectAll().where('email', '=', 'admin@lift.test').execute()).toEqual([]);
    expect(logs.find((line) => line.level === 'error')).toMatchObject({ code: 'AUTH_PLATFORM_ADMIN_PASSWORD_REJECTED' });
    expect((await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'admin@lift.test', password: 'shortpwXYZ' } })).statusCode).toBe(401);
  });

  it('gives tenants no platform permissions', async () => {
    const { app } = await buildAuth({ postgres });
    const response = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'tenant@example.com', password: 'a long enough passphrase' } });
    const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(response.json()) })).json();
    expect(me.permissions.filter((permission: string) => /^(platform|registry:admin|billing:admin|observability)/.test(permission))).toEqual([]);
  });
});
