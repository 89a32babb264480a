import { describe, expect, it } from 'vitest';
import { authDocument, buildGateway, startUpstream } from './helper.js';

describe('the token endpoint at the edge', () => {
  it('counts client-secret attempts against the sign-in limit, but not a module exchanging its own token', async () => {
    const auth = await startUpstream((_request, respond) => respond(200, '{"access_token":"x","token_type":"Bearer","expires_in":60}'), { openApi: authDocument });
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, RATE_LIMIT_CREDENTIALS_PER_IP: '3' });
    const exchange = { 'content-type': 'application/x-www-form-urlencoded' };
    const payload = 'grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token=t&subject_token_type=urn:ietf:params:oauth:token-type:access_token';
    // A module serving its callers: many exchanges a minute from one address, no client secret.
    for (let request = 0; request < 10; request += 1) {
      expect((await gateway.inject({ method: 'POST', url: '/auth/v1/oauth/token', headers: exchange, payload })).statusCode).toBe(200);
    }
    // A client trying secrets: the sign-in limit.
    const basic = { ...exchange, authorization: `Basic ${Buffer.from('gateway:guess').toString('base64')}` };
    const statuses = [];
    for (let request = 0; request < 5; request += 1) statuses.push((await gateway.inject({ method: 'POST', url: '/auth/v1/oauth/token', headers: basic, payload: 'grant_type=client_credentials' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // In RFC 6749's format, which is what an OAuth client library reads there.
    const limited = await gateway.inject({ method: 'POST', url: '/auth/v1/oauth/token', headers: basic, payload: 'grant_type=client_credentials' });
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json()).toMatchObject({ error: 'temporarily_unavailable', error_description: expect.stringMatching(/rate limit/) });
    // Elsewhere the gateway's refusals stay problem+json.
    expect((await gateway.inject({ method: 'POST', url: '/auth/v1/login', headers: basic, payload: '{}' })).headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
