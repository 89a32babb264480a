import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';

// Issue #12 as an attacker meets it: the real gateway and auth processes, a burst of parallel
// requests on spelled-differently paths with forged client-address headers, and tokens that were
// never issued. Every variant must count against one sign-in budget of the connection's address.
const signInLimit = 8;
let auth: ServiceProcess;
let gateway: ServiceProcess;
beforeAll(async () => {
  auth = startServiceProcess({ name: 'auth', port: await freePort() });
  gateway = startServiceProcess({ name: 'gateway', port: await freePort(), env: { AUTH_SERVICE_URL: auth.url, RATE_LIMIT_CREDENTIALS_PER_IP: String(signInLimit) } });
  await Promise.all([waitUntilReady(auth), waitUntilReady(gateway)]);
});
afterAll(async () => {
  await Promise.all([gateway?.stop(), auth?.stop()]);
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('account life-cycle routes through the real gateway', () => {
  it('share one sign-in budget across encoded, doubled and dotted paths and forged addresses, and refuse foreign tokens without a 5xx', async () => {
    const spellings = ['/auth/v1/password-reset', '/auth/v1/%70assword-reset', '//auth//v1/password-reset', '/auth/v1/./password-reset', '/auth/x/../v1/password-reset', '/auth/v1/password%2Dreset'];
    const burst = await Promise.all(
      spellings.map((path, index) => post(path, { email: index % 2 ? 'nobody@example.test' : 'admin@lift.test' }, { 'x-forwarded-for': `203.0.113.${index}`, forwarded: `for=198.51.100.${index}` })),
    );
    const bodies = await Promise.all(burst.map((answer) => answer.text()));
    expect(burst.map((answer) => answer.status)).toEqual(spellings.map(() => 202));
    // Known and unknown addresses answer alike.
    expect(new Set(bodies).size).toBe(1);

    const foreign = await Promise.all([
      post('/auth/v1/password-reset/confirm', { token: 'lift_pr_neverIssuedneverIssuedneverIssuedneverIss', password: 'a long enough passphrase' }),
      post('/auth/v1/email-verification/confirm', { token: 'lift_pr_aTokenOfTheOtherPurposeaTokenOfTheOtherP' }),
    ]);
    for (const answer of foreign) {
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'AUTH_ACCOUNT_TOKEN_INVALID' });
    }

    // The budget is spent: the next try, however spelled or from whatever forged address, waits.
    const over = await post('/auth//v1/%2E/password-reset', { email: 'admin@lift.test' }, { 'x-forwarded-for': '192.0.2.99' });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
