import { describe, expect, it } from 'vitest';
import { remoteKeySource } from '../src/auth/key-source.js';
import { manualClock } from '../../../tests/support/manual-clock.js';

describe('a JWKS endpoint given as a function', () => {
  it('is asked where to read at each read, so a caller choosing among instances of auth is followed', async () => {
    const asked: string[] = [];
    let origin = 'http://auth-1:8001';
    const fakeFetch = (async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify({ keys: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const clock = manualClock();
    const keys = remoteKeySource({ url: () => `${origin}/.well-known/jwks.json`, clock, cooldownMs: 1_000, fetch: fakeFetch });
    await keys.refreshFor('kid-1');
    origin = 'http://auth-2:8001';
    clock.advance(1_000);
    await keys.refreshFor('kid-1');
    expect(asked).toEqual(['http://auth-1:8001/.well-known/jwks.json', 'http://auth-2:8001/.well-known/jwks.json']);
  });
});
