import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, testDatabaseUrl } from '../support/backends.js';
import { testRedisUrl } from '../support/backend.js';
import { startAuthBehindGateway, type AuthBehindGateway } from '../support/auth-behind-gateway.js';
import { testSchemaName } from '../support/test-schema.js';

/**
 * The console's cookie session under parallel requests (issue #21), through the real gateway in
 * front of the real auth process: what a browser with several tabs, or a page firing its
 * requests at once, does. Refresh-token rotation must neither log such a user out (reuse
 * detection taking racing tabs for a thief) nor let a session outlive its logout (a refresh
 * racing the logout leaving a live successor behind).
 */
const password = 'a long enough passphrase';

interface Jar {
  readonly refresh: string;
  readonly csrf: string;
}

/** The value of a cookie an answer sets, or undefined when it sets none of that name. */
function cookieSet(response: Response, name: string): string | undefined {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
  return cookie === undefined ? undefined : /^[^=]+=([^;]*)/.exec(cookie)?.[1];
}

function jarOf(response: Response): Jar {
  const jar = { refresh: cookieSet(response, 'lift_refresh') ?? '', csrf: cookieSet(response, 'lift_csrf') ?? '' };
  expect(jar.refresh).toMatch(/^lift_rt_/);
  return jar;
}

describe.each(backends)('the console session under parallel requests through the gateway ($name)', ({ postgres }) => {
  let stack: AuthBehindGateway;

  beforeAll(async () => {
    const prefix = testSchemaName('sessions');
    const production: Record<string, string> = postgres ? { DATABASE_URL: testDatabaseUrl as string, DATABASE_SCHEMA: prefix, REDIS_URL: testRedisUrl as string, REDIS_KEY_PREFIX: `${prefix}:` } : {};
    stack = await startAuthBehindGateway({ auth: { ...production, RATE_LIMIT_CREDENTIALS_PER_IP: '100000' }, gateway: { RATE_LIMIT_PER_IP: '100000', RATE_LIMIT_CREDENTIALS_PER_IP: '100000' } });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const post = (path: string, jar?: Jar, body?: unknown) =>
    fetch(`${stack.gateway.url}${path}`, {
      method: 'POST',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(jar ? { cookie: `lift_refresh=${jar.refresh}; lift_csrf=${jar.csrf}`, 'x-csrf-token': jar.csrf } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const signUp = async (): Promise<Jar> => {
    const registered = await post('/auth/v1/register', undefined, { email: `tabs-${randomBytes(6).toString('hex')}@example.test`, password, refreshTokenDelivery: 'cookie' });
    expect(registered.status).toBe(201);
    return jarOf(registered);
  };

  it('answers a burst of refreshes with one cookie (many tabs at once) with one successor, and the session lives on', async () => {
    const jar = await signUp();
    const burst = await Promise.all(Array.from({ length: 12 }, () => post('/auth/v1/token/refresh', jar)));
    expect(burst.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    // Within the reuse grace every racer gets the same successor: whichever tab's cookie the
    // browser keeps last, it is the live one.
    const successors = new Set(burst.map((answer) => JSON.stringify(jarOf(answer))));
    expect(successors.size).toBe(1);
    for (const answer of burst) {
      const { accessToken } = (await answer.json()) as { accessToken: string };
      expect((await fetch(`${stack.gateway.url}/auth/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    }
    const next = await post('/auth/v1/token/refresh', JSON.parse([...successors][0] as string) as Jar);
    expect(next.status).toBe(200);
  });

  it('ends the session for good when a logout races refreshes: no successor outlives it', async () => {
    const survivors: string[] = [];
    let wonTheRace = 0;
    let rounds = 0;
    // Rounds until some refreshes have won the race (their successor stored around the logout):
    // without one the case proves nothing. The logout goes out between the refreshes.
    for (; rounds < 40 && wonTheRace < 8; rounds += 1) {
      const jar = await signUp();
      const refresh = () => post('/auth/v1/token/refresh', jar);
      const [before, other, logout, after, last] = await Promise.all([refresh(), refresh(), post('/auth/v1/token/logout', jar), refresh(), refresh()]);
      expect(logout?.status).toBe(204);
      for (const refreshed of [before, other, after, last]) {
        expect([200, 401]).toContain(refreshed?.status);
        if (refreshed?.status !== 200) continue;
        wonTheRace += 1;
        // A refresh that won the race handed out a successor; the logout must have ended it too.
        const later = await post('/auth/v1/token/refresh', jarOf(refreshed));
        if (later.status !== 401) survivors.push(`round ${rounds}: ${later.status}`);
      }
    }
    expect(wonTheRace).toBeGreaterThan(0);
    process.stdout.write(`logout racing refreshes (${postgres ? 'PostgreSQL' : 'SQLite'}): ${wonTheRace} won the race in ${rounds} rounds, ${survivors.length} outlived the logout\n`);
    expect(survivors).toEqual([]);
  });
});
