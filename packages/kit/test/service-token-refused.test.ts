import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHttpClient, serviceTokenSource, systemClock } from '../src/index.js';
import { closeAfterTest } from './helper.js';

describe('a service token the called service refused', () => {
  it('is fetched again at once instead of being used until it expires (a revoked signing key)', async () => {
    let issued = 0;
    const auth = createServer((_request, response) => {
      issued += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `token-${issued}`, token_type: 'Bearer', expires_in: 300 }));
    });
    await new Promise<void>((resolve) => auth.listen(0, '127.0.0.1', resolve));
    closeAfterTest(() => new Promise((resolve) => auth.close(() => resolve())));
    const http = createHttpClient({ service: 'billing', version: 'test' });
    closeAfterTest(() => http.close());
    const tokens = serviceTokenSource({ http, authUrl: `http://127.0.0.1:${(auth.address() as AddressInfo).port}`, clientId: 'billing', clientSecret: 'billing-secret-0123456789', clock: systemClock });

    expect(await tokens.token()).toBe('token-1');
    expect(await tokens.token()).toBe('token-1');
    tokens.refused('a token it no longer holds');
    expect(await tokens.token()).toBe('token-1');
    tokens.refused('token-1');
    expect(await tokens.token()).toBe('token-2');
    expect(issued).toBe(2);
  });
});
