import { describe, expect, it } from 'vitest';
import { buildAuth, defaultPassword, registerUser } from './helper.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const secrets = 'billing:billing-secret-0123456789';

// Regression (outside review of issue #11): the token endpoint's form parser was added to the
// whole app, so login and registration took form posts — which a browser sends cross-site without
// a CORS preflight — although every JSON route promises 415 for another content type.
describe('form-encoded bodies', () => {
  it('are refused with 415 on login and registration, and create nothing', async () => {
    const { app, db } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    await registerUser(app, 'ada@example.com');
    const usersBefore = (await db.selectFrom('users').selectAll().execute()).length;

    const login = await app.inject({ method: 'POST', url: '/v1/login', headers: form, payload: new URLSearchParams({ email: 'ada@example.com', password: defaultPassword }).toString() });
    const register = await app.inject({ method: 'POST', url: '/v1/register', headers: form, payload: new URLSearchParams({ email: 'eve@example.com', password: defaultPassword }).toString() });

    for (const answer of [login, register]) {
      expect(answer.statusCode).toBe(415);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.body).not.toContain('accessToken');
    }
    expect((await db.selectFrom('users').selectAll().execute()).length).toBe(usersBefore);
  });

  it('are still what the OAuth token endpoint takes', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const answer = await app.inject({
      method: 'POST',
      url: '/v1/oauth/token',
      headers: form,
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'billing', client_secret: 'billing-secret-0123456789' }).toString(),
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toHaveProperty('access_token');
  });
});
