import { describe, expect, it } from 'vitest';
import { createHttpClient, serviceTokenSource, systemClock } from '../src/index.js';
import { closeWhenDone } from './helper.js';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';

describe('a service token the called service refused', () => {
  it('is fetched again at once instead of being used until it expires (a revoked signing key)', async () => {
    let issued = 0;
    const auth = await startStandIn((_request, response) => {
      issued += 1;
      sendJson(response, 200, { access_token: `token-${issued}`, token_type: 'Bearer', expires_in: 300 });
    });
    const http = createHttpClient({ service: 'billing', version: 'test' });
    closeWhenDone(() => http.close());
    const tokens = serviceTokenSource({ http, authUrl: auth.url, clientId: 'billing', clientSecret: 'billing-secret-0123456789', clock: systemClock });

    expect(await tokens.token()).toBe('token-1');
    expect(await tokens.token()).toBe('token-1');
    tokens.refused('a token it no longer holds');
    expect(await tokens.token()).toBe('token-1');
    tokens.refused('token-1');
    expect(await tokens.token()).toBe('token-2');
    expect(issued).toBe(2);
  });
});
