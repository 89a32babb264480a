import { describe, expect, it } from 'vitest';
import { isCredentialRoute } from '../src/credential-routes.js';
import { buildGateway, serviceDocument, startUpstream } from './helper.js';

const publicAccountRoutes = ['/v1/register/confirm', '/v1/email-verification/confirm', '/v1/password-reset', '/v1/password-reset/confirm'];

describe('account life-cycle routes at the edge (issue #12)', () => {
  it('count as sign-in, including the signed-in resend of a verification link and accepting an invitation', () => {
    for (const path of [...publicAccountRoutes, '/v1/email-verification', '/v1/invitations/accept']) {
      expect(isCredentialRoute('POST', `/auth${path}`, undefined)).toBe(true);
      expect(isCredentialRoute('GET', `/auth${path}`, undefined)).toBe(false);
    }
  });

  it('count creating an invitation as sign-in (it mails any address), not listing or revoking them', () => {
    const invitations = '/auth/v1/organisations/0d9c5b8e-2f4a-4c1e-9a57-3b1f0e6d2c11/invitations';
    expect(isCredentialRoute('POST', invitations, 'Bearer token')).toBe(true);
    expect(isCredentialRoute('GET', invitations, 'Bearer token')).toBe(false);
    expect(isCredentialRoute('DELETE', `${invitations}/5b1f0e6d`, 'Bearer token')).toBe(false);
    expect(isCredentialRoute('POST', `${invitations}/5b1f0e6d`, 'Bearer token')).toBe(false);
    expect(isCredentialRoute('POST', '/auth/v1/organisations/a/b/invitations', 'Bearer token')).toBe(false);
    expect(isCredentialRoute('POST', '/auth/v1/organisations', 'Bearer token')).toBe(false);
  });

  it('are open without a token where auth declares them public, under the sign-in limit', async () => {
    const auth = await startUpstream((_request, respond) => respond(202, '{"message":"ok"}'), {
      openApi: serviceDocument(publicAccountRoutes.map((path) => `POST ${path}`), ['POST /v1/email-verification']),
    });
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, RATE_LIMIT_CREDENTIALS_PER_IP: '2' });
    const reset = () => gateway.inject({ method: 'POST', url: '/auth/v1/password-reset', headers: { 'content-type': 'application/json' }, payload: '{"email":"ada@example.test"}' });
    expect([(await reset()).statusCode, (await reset()).statusCode, (await reset()).statusCode]).toEqual([202, 202, 429]);
    expect(auth.received.filter((request) => request.url === '/v1/password-reset')).toHaveLength(2);
    // Shared with the other sign-in routes: the address is now limited there too.
    expect((await gateway.inject({ method: 'POST', url: '/auth/v1/password-reset/confirm', headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(429);
  });
});
