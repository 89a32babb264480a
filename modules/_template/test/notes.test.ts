import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, systemClock, type ServiceApp } from '@lift/kit';
import { createLiftClient, memoryClient, moduleTokenVerifier, platformTokens } from '@lift/sdk';
import { buildApp } from '../src/app.js';
import { templateConfigSchema } from '../src/config.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

const issuer = 'https://lift.test/auth';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'EdDSA', use: 'sig' };

/** A token as the platform signs it; the gateway forwards the module ones with audience module:template. */
function token(permissions: string[], options: { organisation?: string; audience?: string; subject?: string } = {}) {
  return new SignJWT({ org: options.organisation ?? 'org-1', roles: ['member'], perms: permissions, client_id: 'gateway' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'k1' })
    .setSubject(options.subject ?? 'user-1')
    .setIssuer(issuer)
    .setAudience(options.audience ?? 'module:template')
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(Math.random().toString(36))
    .sign(privateKey);
}

/**
 * A stand-in gateway answering as the platform does: JWKS, OAuth metadata, token exchange (the
 * delegated token names the caller's organisation), /auth/v1/me, and the memory routes the
 * template uses (kept per organisation; the real service is tried in
 * tests/integration/module-through-gateway.test.ts).
 */
async function startPlatform(exchange: { status: number; error?: string } = { status: 200 }, memoryAnswer?: { status: number; body: unknown }) {
  const exchanges: URLSearchParams[] = [];
  const meCalls: string[] = [];
  const memoryCalls: { method: string; url: string; authorization: string; body: unknown }[] = [];
  const memories = new Map<string, Record<string, unknown>[]>();
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const send = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (request.url === '/auth/.well-known/jwks.json') return send(200, { keys: [jwk] });
      if (request.url === '/auth/.well-known/oauth-authorization-server') return send(200, { issuer, token_endpoint: `${issuer}/v1/oauth/token` });
      if (request.url === '/auth/v1/oauth/token') {
        const form = new URLSearchParams(body);
        exchanges.push(form);
        if (exchange.status !== 200) return send(exchange.status, { error: exchange.error ?? 'invalid_request', error_description: 'refused by the stand-in' });
        const organisation = String(decodeJwt(form.get('subject_token') ?? '').org);
        return send(200, { access_token: `delegated-platform-token:${organisation}`, token_type: 'Bearer', expires_in: 300, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
      }
      if (request.url?.startsWith('/memory/')) {
        const authorization = String(request.headers.authorization);
        const parsed = body === '' ? undefined : (JSON.parse(body) as Record<string, unknown>);
        memoryCalls.push({ method: request.method ?? '', url: request.url, authorization, body: parsed });
        if (memoryAnswer) return send(memoryAnswer.status, memoryAnswer.body);
        const stored = memories.get(authorization) ?? [];
        memories.set(authorization, stored);
        if (request.method === 'POST' && request.url === '/memory/v1/memories') {
          const memory = { id: `m${stored.length + 1}`, content: parsed?.content, type: parsed?.type, tags: [], metadata: parsed?.metadata ?? {}, relations: [], source: 'module:template', embeddingModel: 'stand-in', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
          stored.unshift(memory);
          return send(201, memory);
        }
        if (request.method === 'GET' && request.url.startsWith('/memory/v1/memories?')) return send(200, { items: stored, nextCursor: null });
        if (request.method === 'POST' && request.url === '/memory/v1/search') {
          const words = String(parsed?.query).toLowerCase().split(/\s+/);
          const hits = stored.filter((memory) => words.some((word) => String(memory.content).toLowerCase().includes(word)));
          return send(200, { items: hits.map((memory) => ({ memory, score: 1, signals: { fulltext: 1 } })), mode: 'hybrid', tookMs: 1 });
        }
      }
      if (request.url === '/auth/v1/me') {
        meCalls.push(String(request.headers.authorization));
        return send(200, { id: 'user-1', email: 'ada@example.com', organisationId: 'org-1', permissions: ['memory:read'], memberships: [] });
      }
      send(404, { status: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exchanges, meCalls, memoryCalls };
}

async function buildTemplate(gatewayUrl: string): Promise<ServiceApp> {
  const config = await loadConfig(templateConfigSchema, { env: { LIFT_GATEWAY_URL: gatewayUrl } });
  const app = await buildApp({
    config,
    log: createLogger({ service: 'template', version: 'test', level: 'silent' }),
    clock: systemClock,
    verifier: moduleTokenVerifier({ gatewayUrl, moduleId: 'template' }),
    platform: (() => {
      const tokens = platformTokens({ gatewayUrl });
      return { tokens, client: createLiftClient({ gatewayUrl }), memory: memoryClient({ gatewayUrl, tokens }) };
    })(),
  });
  closers.push(() => app.close());
  return app;
}

const bearer = async (permissions: string[], options: Parameters<typeof token>[1] = {}) => ({ authorization: `Bearer ${await token(permissions, options)}` });

describe('the template module', () => {
  it('keeps notes in the memory service, per organisation, with the caller\'s delegated token, and finds them', async () => {
    const platform = await startPlatform();
    const app = await buildTemplate(platform.url);
    const writer = await bearer(['template:read', 'template:write']);
    const created = await app.inject({ method: 'POST', url: '/v1/notes', headers: writer, payload: { text: 'hello world' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ text: 'hello world', author: 'user-1' });
    await app.inject({ method: 'POST', url: '/v1/notes', headers: writer, payload: { text: 'another thought' } });
    expect((await app.inject({ method: 'GET', url: '/v1/notes', headers: writer })).json().items.map((note: { text: string }) => note.text)).toEqual(['another thought', 'hello world']);
    expect((await app.inject({ method: 'GET', url: '/v1/notes?q=hello', headers: writer })).json().items.map((note: { text: string }) => note.text)).toEqual(['hello world']);
    expect((await app.inject({ method: 'GET', url: '/v1/notes', headers: await bearer(['template:read'], { organisation: 'org-2' }) })).json().items).toEqual([]);
    // Stored as the manifest declares (type note), always with the delegated token, never the module's.
    expect(platform.memoryCalls[0]).toMatchObject({ method: 'POST', url: '/memory/v1/memories', authorization: 'Bearer delegated-platform-token:org-1', body: { content: 'hello world', type: 'note', metadata: { author: 'user-1' } } });
    expect(platform.memoryCalls.every((call) => call.authorization.startsWith('Bearer delegated-platform-token:'))).toBe(true);
  });

  it('answers 403 when memory holds the module to its manifest, and 503 when memory is down, never 500', async () => {
    for (const [memoryAnswer, status] of [
      [{ status: 403, body: { status: 403, code: 'MEMORY_MODULE_NOT_ALLOWED', detail: 'not declared' } }, 403],
      [{ status: 503, body: { status: 503, code: 'GATEWAY_UPSTREAM_UNAVAILABLE' } }, 503],
    ] as const) {
      const app = await buildTemplate((await startPlatform({ status: 200 }, memoryAnswer)).url);
      const answer = await app.inject({ method: 'POST', url: '/v1/notes', headers: await bearer(['template:write']), payload: { text: 'x' } });
      expect({ memory: memoryAnswer.status, status: answer.statusCode }).toEqual({ memory: memoryAnswer.status, status });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('checks tokens and permissions itself, accepts only tokens meant for it, and validates bodies', async () => {
    const app = await buildTemplate((await startPlatform()).url);
    expect((await app.inject({ method: 'GET', url: '/v1/notes' })).statusCode).toBe(401);
    // A token for the core services or for another module is refused, whatever it carries.
    for (const audience of ['lift-os', 'module:other']) {
      const refused = await app.inject({ method: 'GET', url: '/v1/notes', headers: await bearer(['template:read'], { audience }) });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().detail).toMatch(/audience/);
    }
    const reader = await bearer(['template:read']);
    expect((await app.inject({ method: 'POST', url: '/v1/notes', headers: reader, payload: { text: 'x' } })).statusCode).toBe(403);
    const bad = await app.inject({ method: 'POST', url: '/v1/notes', headers: await bearer(['template:write']), payload: { text: '' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.text');
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ service: 'template' });
  });

  it('acts on the platform for its caller with a delegated token obtained by token exchange', async () => {
    const platform = await startPlatform();
    const app = await buildTemplate(platform.url);
    const moduleToken = await token(['template:read', 'memory:read']);
    const answer = await app.inject({ method: 'GET', url: '/v1/whoami', headers: { authorization: `Bearer ${moduleToken}` } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ userId: 'user-1', email: 'ada@example.com', organisationId: 'org-1', platformPermissions: ['memory:read'] });
    expect(Object.fromEntries(platform.exchanges[0] ?? [])).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: moduleToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });
    // The platform is called with the delegated token, never the module token it was given.
    expect(platform.meCalls).toEqual(['Bearer delegated-platform-token:org-1']);
    await app.inject({ method: 'GET', url: '/v1/whoami', headers: { authorization: `Bearer ${moduleToken}` } });
    expect(platform.exchanges).toHaveLength(1);
  });

  it('answers 503 when the platform is too busy to issue its token, and 403 when it refuses, never 500', async () => {
    for (const [exchange, status] of [
      [{ status: 429, error: 'temporarily_unavailable' }, 503],
      [{ status: 503, error: 'temporarily_unavailable' }, 503],
      [{ status: 400, error: 'invalid_grant' }, 403],
    ] as const) {
      const app = await buildTemplate((await startPlatform(exchange)).url);
      const answer = await app.inject({ method: 'GET', url: '/v1/whoami', headers: await bearer(['template:read']) });
      expect({ exchange: exchange.status, status: answer.statusCode }).toEqual({ exchange: exchange.status, status });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
