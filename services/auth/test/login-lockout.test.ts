import { describe, expect, it } from 'vitest';
import { backends, buildAuth, defaultPassword, manualClock, registerUser } from './helper.js';

const attempt = (password: string, ip = '203.0.113.7', email = 'ada@example.com') => ({
  method: 'POST' as const,
  url: '/v1/login',
  payload: { email, password },
  remoteAddress: ip,
});

describe.each(backends)('brute-force protection on $name', ({ postgres }) => {
  it('makes an account wait 60 s at an address after two failures within a second from it, and then hides whether the password is right', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock });
    await registerUser(app, 'ada@example.com');
    expect((await app.inject(attempt('wrong passphrase 1'))).statusCode).toBe(401);
    clock.advance(300);
    expect((await app.inject(attempt('wrong passphrase 2'))).statusCode).toBe(401);

    const locked = await app.inject(attempt(defaultPassword));
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('AUTH_LOGIN_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBe(60);
    const lockedWrong = await app.inject(attempt('wrong again'));
    expect({ ...lockedWrong.json(), requestId: 0 }).toEqual({ ...locked.json(), requestId: 0 });

    clock.advance(60_000);
    expect((await app.inject(attempt(defaultPassword))).statusCode).toBe(200);
  });

  it('locks an unknown account exactly like a real one', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock });
    await app.inject(attempt('x1', '203.0.113.7', 'ghost@example.com'));
    await app.inject(attempt('x2', '203.0.113.7', 'ghost@example.com'));
    expect((await app.inject(attempt('x3', '203.0.113.7', 'ghost@example.com'))).statusCode).toBe(429);
  });

  it('makes each attempt past the limit from one address wait longer, up to the maximum', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock, env: { LOCKOUT_MAX_FAILURES: '3', LOCKOUT_MAX_WAIT_SECONDS: '150' } });
    await registerUser(app, 'ada@example.com');
    const waits: number[] = [];
    for (let failure = 1; failure <= 6; failure += 1) {
      clock.advance(waits.at(-1) === undefined ? 200_000 : (waits.at(-1) as number) * 1000 + 1_000);
      expect((await app.inject(attempt(`wrong ${failure}`))).statusCode).toBe(401);
      if (failure < 3) continue;
      // A locked login is refused before the password is checked, so probing records nothing.
      const probe = await app.inject(attempt(defaultPassword));
      expect(probe.statusCode).toBe(429);
      waits.push(Number(probe.headers['retry-after']));
    }
    expect(waits).toEqual([60, 120, 150, 150]);
  });

  it('locks out an address that fails too often, across accounts', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock, env: { LOCKOUT_MAX_FAILURES_PER_IP: '5' } });
    await registerUser(app, 'ada@example.com');
    for (let index = 0; index < 5; index += 1) {
      clock.advance(2_000);
      await app.inject(attempt('wrong', '198.51.100.9', `user${index}@example.com`));
    }
    expect((await app.inject(attempt(defaultPassword, '198.51.100.9'))).statusCode).toBe(429);
    expect((await app.inject(attempt(defaultPassword, '198.51.100.10'))).statusCode).toBe(200);
  });

  it('counts only failures against an address: many people behind one address log in', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock, env: { LOCKOUT_MAX_FAILURES_PER_IP: '3' } });
    await registerUser(app, 'ada@example.com');
    for (let index = 0; index < 6; index += 1) expect((await app.inject(attempt(defaultPassword, '198.51.100.9'))).statusCode).toBe(200);
    clock.advance(2_000);
    expect((await app.inject(attempt('wrong', '198.51.100.9'))).statusCode).toBe(401);
    expect((await app.inject(attempt(defaultPassword, '198.51.100.9'))).statusCode).toBe(200);
  });

  it('counts an IPv6 client by its /64, where one subscriber can take any address', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock, env: { LOCKOUT_MAX_FAILURES: '3' } });
    await registerUser(app, 'ada@example.com');
    for (let host = 1; host <= 3; host += 1) {
      clock.advance(2_000);
      expect((await app.inject(attempt('wrong', `2001:db8:1:2::${host}`))).statusCode).toBe(401);
    }
    expect((await app.inject(attempt(defaultPassword, '2001:db8:1:2:ffff:1:2:3'))).statusCode).toBe(429);
    expect((await app.inject(attempt(defaultPassword, '2001:db8:1:3::1'))).statusCode).toBe(200);
  });
});
