import { describe, expect, it } from 'vitest';
import { backends, buildAuth, defaultPassword, manualClock } from './helper.js';

const owner = 'ada@example.com';
const home = '203.0.113.7';
const login = (ip: string, password = 'a stranger\'s guess') => ({ method: 'POST' as const, url: '/v1/login', payload: { email: owner, password }, remoteAddress: ip });

// Regression (issue #10, item 2): the lockout was keyed by account alone, so anyone who knew an
// e-mail address could lock its owner out by failing to log in as them.
describe.each(backends)('a stranger\'s failures on $name', ({ postgres }) => {
  const limits = { LOCKOUT_MAX_FAILURES: '3', LOCKOUT_ACCOUNT_MAX_FAILURES: '5' };

  async function attackedAccount() {
    const clock = manualClock();
    const auth = await buildAuth({ postgres, clock, env: limits });
    // Registered from home, so home is an address the owner is known to use.
    const registered = await auth.app.inject({ method: 'POST', url: '/v1/register', payload: { email: owner, password: defaultPassword }, remoteAddress: home });
    expect(registered.statusCode).toBe(201);
    // One address, past its own limit for this account …
    for (let guess = 0; guess < 6; guess += 1) {
      clock.advance(5 * 60_000);
      await auth.app.inject(login('198.51.100.1'));
    }
    // … and many addresses, past the account-wide limit for unknown addresses.
    for (let address = 2; address <= 12; address += 1) {
      clock.advance(2_000);
      await auth.app.inject(login(`198.51.100.${address}`));
    }
    return { ...auth, clock };
  }

  it('do not keep the owner out of their account from their own address', async () => {
    const { app } = await attackedAccount();
    expect((await app.inject(login('198.51.100.1', defaultPassword))).statusCode).toBe(429);
    expect((await app.inject(login('198.51.100.99', defaultPassword))).statusCode).toBe(429);
    const own = await app.inject(login(home, defaultPassword));
    expect(own.statusCode).toBe(200);
    // A mistyped password at home is the owner's own count, not the stranger's.
    expect((await app.inject(login(home, 'a typo in the passphrase'))).statusCode).toBe(401);
  });

  it('make attempts from addresses not known for the account wait longer and longer, up to the maximum', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock, env: { ...limits, LOCKOUT_MAX_WAIT_SECONDS: '200' } });
    await app.inject({ method: 'POST', url: '/v1/register', payload: { email: owner, password: defaultPassword }, remoteAddress: home });
    const waits: number[] = [];
    for (let address = 1; address <= 9; address += 1) {
      expect((await app.inject(login(`198.51.100.${address}`))).statusCode).toBe(401);
      if (address < 5) {
        clock.advance(2_000);
        continue;
      }
      const probe = await app.inject(login('198.51.100.200', defaultPassword));
      expect(probe.statusCode).toBe(429);
      waits.push(Number(probe.headers['retry-after']));
      clock.advance(waits.at(-1) as number * 1000);
    }
    expect(waits).toEqual([60, 120, 180, 200, 200]);
    // Home stays open throughout, and becomes known for the address it logs in from.
    expect((await app.inject(login(home, defaultPassword))).statusCode).toBe(200);
  });

  it('an address becomes known by a successful login from it, and is forgotten after a while', async () => {
    const { app, clock } = await attackedAccount();
    clock.advance(60 * 60_000);
    // The stranger's waits ran out; the owner logs in once from a new address …
    expect((await app.inject(login('192.0.2.50', defaultPassword))).statusCode).toBe(200);
    // … which the account-wide count no longer holds up while a fresh attack runs elsewhere.
    for (let address = 20; address <= 30; address += 1) {
      clock.advance(2_000);
      await app.inject(login(`198.51.100.${address}`));
    }
    expect((await app.inject(login('198.51.100.98', defaultPassword))).statusCode).toBe(429);
    expect((await app.inject(login('192.0.2.50', defaultPassword))).statusCode).toBe(200);
    clock.advance(31 * 86_400_000);
    for (let address = 40; address <= 50; address += 1) {
      clock.advance(2_000);
      await app.inject(login(`198.51.100.${address}`));
    }
    expect((await app.inject(login('192.0.2.50', defaultPassword))).statusCode).toBe(429);
  });
});
