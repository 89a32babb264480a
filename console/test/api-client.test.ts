import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, ApiProblem } from '../src/api/client.js';

/** A fetch that answers from a script and records what was asked, as the browser's would be called. */
function scriptedFetch(answer: (path: string, init: RequestInit) => Response): { calls: string[] } {
  const calls: string[] = [];
  globalThis.fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const path = String(input);
    calls.push(`${init.method ?? 'GET'} ${path}`);
    return answer(path, init);
  }) as typeof fetch;
  return { calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const session = (accessToken: string) => json(200, { accessToken, expiresIn: 900, userId: 'u', organisationId: 'o' });
const expired = () => json(401, { title: 'Unauthorized', code: 'AUTH_TOKEN_EXPIRED' }, { 'www-authenticate': 'Bearer error="invalid_token", error_description="expired"' });

describe('the console\'s API client', () => {
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    // The CSRF cookie auth sets beside the refresh cookie, as the page would read it.
    (globalThis as unknown as { document: { cookie: string } }).document = { cookie: 'other=1; lift_csrf=csrf-value' };
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    delete (globalThis as unknown as { document?: unknown }).document;
  });

  it('renews a refused access token once from the cookie, with the CSRF header, and makes the call again', async () => {
    let headersOfRefresh: Headers | undefined;
    const fetched = scriptedFetch((path, init) => {
      if (path === '/auth/v1/token/refresh') {
        headersOfRefresh = new Headers(init.headers);
        return session('fresh');
      }
      return new Headers(init.headers).get('authorization') === 'Bearer fresh' ? json(200, { items: [] }) : expired();
    });
    const client = new ApiClient(() => undefined);
    client.adopt({ accessToken: 'stale', expiresIn: 900, userId: 'u', organisationId: 'o' });
    expect(await client.get('/memory/v1/memories')).toEqual({ items: [] });
    expect(fetched.calls).toEqual(['GET /memory/v1/memories', 'POST /auth/v1/token/refresh', 'GET /memory/v1/memories']);
    expect(headersOfRefresh?.get('x-csrf-token')).toBe('csrf-value');
  });

  // Regression (review of #20): every 401 was taken for an expired token, so a wrong password on
  // a link page was sent twice (counting twice against the link's tries).
  it('answers any other 401 as it came: no refresh, no second call', async () => {
    const fetched = scriptedFetch(() => json(401, { title: 'Unauthorized', detail: 'The password is not the one chosen', code: 'AUTH_INVALID_CREDENTIALS' }));
    const client = new ApiClient(() => undefined);
    client.adopt({ accessToken: 'valid', expiresIn: 900, userId: 'u', organisationId: 'o' });
    const refused = await client.post('/auth/v1/register/confirm', { token: 't', password: 'typo' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiProblem);
    expect(refused).toMatchObject({ status: 401, code: 'AUTH_INVALID_CREDENTIALS', detail: 'The password is not the one chosen' });
    expect(fetched.calls).toEqual(['POST /auth/v1/register/confirm']);
  });

  it('shares one refresh among parallel calls that met the expired token (a second would look like reuse)', async () => {
    let refreshes = 0;
    scriptedFetch((path, init) => {
      if (path === '/auth/v1/token/refresh') {
        refreshes += 1;
        return session('fresh');
      }
      return new Headers(init.headers).get('authorization') === 'Bearer fresh' ? json(200, { ok: true }) : expired();
    });
    const client = new ApiClient(() => undefined);
    client.adopt({ accessToken: 'stale', expiresIn: 900, userId: 'u', organisationId: 'o' });
    expect(await Promise.all([client.get('/a'), client.get('/b'), client.get('/c')])).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(refreshes).toBe(1);
  });

  it('signs the page out when the cookie gives no new token, and keeps the problem for the page to show', async () => {
    let signedOut = 0;
    scriptedFetch((path) => (path === '/auth/v1/token/refresh' ? json(401, { title: 'Unauthorized', code: 'AUTH_REFRESH_TOKEN_INVALID' }) : expired()));
    const client = new ApiClient(() => (signedOut += 1));
    client.adopt({ accessToken: 'stale', expiresIn: 900, userId: 'u', organisationId: 'o' });
    await expect(client.get('/x')).rejects.toMatchObject({ status: 401, code: 'AUTH_TOKEN_EXPIRED' });
    expect(signedOut).toBe(1);
    expect(client.signedIn).toBe(false);
  });
});
