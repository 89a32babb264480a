import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { buildGateway } from './helper.js';

/** A built console as Vite lays it out: index.html and hashed assets. */
function builtConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lift-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/console/assets/index-abc123.js"></script></head><body><div id="app"></div></body></html>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(2000))});`);
  writeFileSync(join(dir, 'assets', 'index-abc123.js.map'), '{}');
  return dir;
}

describe('the console at /console', () => {
  let gateway: ServiceApp;
  beforeAll(async () => {
    gateway = await buildGateway({ CONSOLE_DIR: builtConsole() });
  });
  afterAll(async () => gateway.close());

  it('answers the app page for its own routes, under a strict content security policy, with no credentials', async () => {
    for (const url of ['/console/', '/console/memory', '/console/verify-email?token=abc', '/console/organisation/']) {
      const page = await gateway.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('<div id="app">');
      const policy = String(page.headers['content-security-policy']);
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).not.toContain('unsafe-eval');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('sends /console to /console/, where the app and its relative links live', async () => {
    const bare = await gateway.inject({ method: 'GET', url: '/console' });
    expect(bare.statusCode).toBe(308);
    expect(bare.headers.location).toBe('/console/');
    expect((await gateway.inject({ method: 'GET', url: '/console?token=abc&x=1' })).headers.location).toBe('/console/?token=abc&x=1');
  });

  it('serves hashed assets for a year, gzipped when asked, and answers 304 to a matching ETag', async () => {
    const plain = await gateway.inject({ method: 'GET', url: '/console/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await gateway.inject({ method: 'GET', url: '/console/assets/index-abc123.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(plain.body);
    expect(gzipped.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    const again = await gateway.inject({ method: 'GET', url: '/console/assets/index-abc123.js', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // Regression (review of #20): both bodies had one strong ETag, and a refused gzip was sent anyway.
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag);
    const gzipAgain = await gateway.inject({ method: 'GET', url: '/console/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip', 'if-none-match': String(plain.headers.etag) } });
    expect(gzipAgain.statusCode).toBe(200);
    for (const refusal of ['gzip;q=0, identity', 'gzip; q=0.000', 'x-gzip-no', 'br', '*;q=0']) {
      const answer = await gateway.inject({ method: 'GET', url: '/console/assets/index-abc123.js', headers: { 'accept-encoding': refusal } });
      expect(answer.headers['content-encoding'], refusal).toBeUndefined();
      expect(answer.body, refusal).toBe(plain.body);
    }
    for (const welcome of ['GZIP', 'deflate, gzip;q=0.5', '*', 'x-gzip']) {
      expect((await gateway.inject({ method: 'GET', url: '/console/assets/index-abc123.js', headers: { 'accept-encoding': welcome } })).headers['content-encoding'], welcome).toBe('gzip');
    }
  });

  it('answers 404 problems for files it does not have — source maps, dotted and encoded paths — never a file outside its folder', async () => {
    for (const url of ['/console/assets/missing.js', '/console/assets/index-abc123.js.map', '/console/../package.json', '/console/%2e%2e/%2e%2e/package.json', '/console/assets/..%2f..%2fpackage.json', '/console//etc/passwd.txt']) {
      const answer = await gateway.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode, url).toBeLessThan(500);
      expect(answer.body, url).not.toContain('"name"');
    }
    const missing = await gateway.inject({ method: 'GET', url: '/console/assets/missing.js' });
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ status: 404, code: 'GATEWAY_CONSOLE_FILE_NOT_FOUND' });
  });
});

describe('a gateway without a built console', () => {
  it('answers /console with a 503 problem that says how to build it', async () => {
    const gateway = await buildGateway({ CONSOLE_DIR: mkdtempSync(join(tmpdir(), 'lift-no-console-')) });
    try {
      const answer = await gateway.inject({ method: 'GET', url: '/console/' });
      expect(answer.statusCode).toBe(503);
      expect(answer.json()).toMatchObject({ code: 'GATEWAY_CONSOLE_NOT_BUILT' });
      expect(answer.json().detail).toContain('npm install');
    } finally {
      await gateway.close();
    }
  });
});
