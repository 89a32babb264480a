import { beforeEach, describe, expect, it, vi } from 'vitest';
import { backends, buildAuth, defaultPassword, manualClock, registerUser } from './helper.js';

// Every password verification the service makes, counted where it happens.
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const argon2 = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...argon2,
    verify: (...args: Parameters<typeof argon2.verify>) => {
      verifications.count += 1;
      return argon2.verify(...args);
    },
  };
});
beforeEach(() => void (verifications.count = 0));

const login = (email: string, ip: string, password = 'a wrong passphrase') => ({ method: 'POST' as const, url: '/v1/login', payload: { email, password }, remoteAddress: ip });

// Regression (issue #10, item 2): the lock was read before the password was checked and a failure
// counted after, so a burst of parallel guesses was all verified. Each limit now reserves the
// attempt first.
describe.each(backends)('a burst of parallel guesses on $name', ({ postgres }) => {
  const limit = 5;
  const burst = 25;

  async function expectOnlyLimitVerified(responses: { statusCode: number; headers: Record<string, unknown> }[]): Promise<void> {
    expect(verifications.count).toBe(limit);
    expect(responses.filter((response) => response.statusCode === 401)).toHaveLength(limit);
    const refused = responses.filter((response) => response.statusCode === 429);
    expect(refused).toHaveLength(burst - limit);
    for (const response of refused) expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  }

  it('against one account from one address: only the limit is verified', async () => {
    const { app } = await buildAuth({ postgres, clock: manualClock(), env: { LOCKOUT_MAX_FAILURES: String(limit), LOCKOUT_QUICK_FAILURE_MS: '0' } });
    await registerUser(app, 'ada@example.com');
    verifications.count = 0;
    await expectOnlyLimitVerified(await Promise.all(Array.from({ length: burst }, () => app.inject(login('ada@example.com', '203.0.113.7')))));
  });

  it('against one account from many addresses: only the account-wide limit is verified', async () => {
    const { app } = await buildAuth({ postgres, clock: manualClock(), env: { LOCKOUT_ACCOUNT_MAX_FAILURES: String(limit) } });
    await registerUser(app, 'ada@example.com');
    verifications.count = 0;
    await expectOnlyLimitVerified(await Promise.all(Array.from({ length: burst }, (_, index) => app.inject(login('ada@example.com', `198.51.100.${index + 1}`)))));
  });

  it('against many accounts from one address: only the address limit is verified', async () => {
    const { app } = await buildAuth({ postgres, clock: manualClock(), env: { LOCKOUT_MAX_FAILURES_PER_IP: String(limit) } });
    await expectOnlyLimitVerified(await Promise.all(Array.from({ length: burst }, (_, index) => app.inject(login(`user${index}@example.com`, '192.0.2.77')))));
  });

  it('still lets the right password through once the wait is over', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock, env: { LOCKOUT_MAX_FAILURES: String(limit), LOCKOUT_QUICK_FAILURE_MS: '0' } });
    await registerUser(app, 'ada@example.com');
    const refused = (await Promise.all(Array.from({ length: burst }, () => app.inject(login('ada@example.com', '203.0.113.7'))))).find((response) => response.statusCode === 429);
    clock.advance(Number(refused?.headers['retry-after']) * 1000);
    expect((await app.inject(login('ada@example.com', '203.0.113.7', defaultPassword))).statusCode).toBe(200);
  });
});
