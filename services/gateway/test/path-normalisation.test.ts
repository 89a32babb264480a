import { describe, expect, it } from 'vitest';
import { normalisePath } from '../src/path-normalisation.js';

describe('path normalisation', () => {
  it.each([
    ['/auth/v1/login', '/auth/v1/login'],
    ['/auth/v1/%6cogin', '/auth/v1/login'],
    ['/auth/v1/%6Cogin', '/auth/v1/login'],
    ['/%61uth/v1/login', '/auth/v1/login'],
    ['/auth/v1/%7e%2D%5f%2E', '/auth/v1/~-_.'],
    ['/auth//v1///login', '/auth/v1/login'],
    ['//auth/v1/login', '/auth/v1/login'],
    ['/auth/./v1/login', '/auth/v1/login'],
    ['/billing/docs/../v1/plans', '/billing/v1/plans'],
    ['/billing/docs/%2e%2e/v1/plans', '/billing/v1/plans'],
    ['/billing/docs/.%2E/v1/plans', '/billing/v1/plans'],
    ['/modules/x/v1/%2e%2e/admin', '/modules/x/admin'],
    ['/auth/v1/..', '/auth/'],
    ['/auth/v1/.', '/auth/v1/'],
    ['/auth/v1/', '/auth/v1/'],
    ['/auth/..', '/'],
    ['/', '/'],
    // Escapes of characters that are not unreserved stay escaped, their hex upper-cased.
    ['/memory/v1/a%20b', '/memory/v1/a%20b'],
    ['/memory/v1/a%c3%a9', '/memory/v1/a%C3%A9'],
    ['/memory/v1/%25', '/memory/v1/%25'],
    ['/memory/v1/%3b', '/memory/v1/%3B'],
    // Paths are case-sensitive, as every service's router is.
    ['/AUTH/v1/login', '/AUTH/v1/login'],
    ['/auth/v1/LOGIN', '/auth/v1/LOGIN'],
    ['/memory/...', '/memory/...'],
    ['/memory/.hidden/..x', '/memory/.hidden/..x'],
  ])('%s → %s', (raw, normal) => {
    expect(normalisePath(raw)).toBe(normal);
  });

  it.each([
    ['/auth/v1%2flogin', 'encoded-slash'],
    ['/auth/v1%2Flogin', 'encoded-slash'],
    ['/auth/v1\\login', 'backslash'],
    ['/auth/v1%5clogin', 'backslash'],
    ['/auth/v1/login%00', 'control-character'],
    ['/auth/v1/log\u0001in', 'control-character'],
    ['/auth/v1/%7F', 'control-character'],
    ['/auth/v1/login;jsessionid=1', 'path-parameter'],
    ['/auth/v1/login#frag', 'fragment'],
    ['/..', 'above-root'],
    ['/auth/../../etc', 'above-root'],
    ['/auth/%2e%2e/%2E%2E/x', 'above-root'],
    ['/auth/v1/%zz', 'malformed-escape'],
    ['/auth/v1/%6', 'malformed-escape'],
    ['/auth/v1/%', 'malformed-escape'],
    ['auth/v1/login', 'not-absolute'],
    ['*', 'not-absolute'],
  ])('refuses %s (%s)', (raw, reason) => {
    expect(normalisePath(raw)).toMatchObject({ reason, detail: expect.any(String) });
  });

  it('hands an already-normal path back as the same string', () => {
    const path = '/memory/v1/memories/0b7c%20x/relations';
    expect(normalisePath(path)).toBe(path);
  });
});
