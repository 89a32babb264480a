import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, buildAuth, manualClock, registerUser } from './helper.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/** A stand-in registry whose route table carries the modules' role grants, as the real one's does. */
async function startRegistry(roles: Record<string, string[]>) {
  const seen: string[] = [];
  let answering = true;
  const server = createServer((request, response) => {
    seen.push(String(request.headers.authorization));
    if (!answering) return response.writeHead(503).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ revision: 1, modules: [{ moduleId: 'template', roles }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, stop: () => void (answering = false) };
}

describe('module permissions in tokens', () => {
  it('reach each tenant role as the module\'s manifest grants them', async () => {
    const registry = await startRegistry({ owner: ['template:read', 'template:write'], admin: ['template:read', 'template:write'], member: ['template:read', 'template:write'], viewer: ['template:read'] });
    const clock = manualClock();
    const { app } = await buildAuth({ clock, env: { REGISTRY_SERVICE_URL: registry.url } });
    const owner = await registerUser(app, 'owner@example.com');
    expect(decodeJwt(owner.accessToken).perms).toEqual(expect.arrayContaining(['template:read', 'template:write', 'org:owner']));

    await registerUser(app, 'viewer@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'viewer@example.com', role: 'viewer' } });
    const viewer = (await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'viewer@example.com', password: 'a long enough passphrase', organisationId: owner.organisationId } })).json();
    const perms = decodeJwt(viewer.accessToken).perms as string[];
    expect(perms).toContain('template:read');
    expect(perms).not.toContain('template:write');

    // Auth asked with a service token it signed itself.
    expect(decodeJwt(registry.seen[0]?.replace('Bearer ', '') ?? '')).toMatchObject({ sub: 'svc:auth', perms: ['registry:routes'] });
  });

  it('keep the last known grants while the registry is down, and log in regardless', async () => {
    const registry = await startRegistry({ owner: ['template:read'], admin: [], member: [], viewer: [] });
    const clock = manualClock();
    const { app } = await buildAuth({ clock, env: { REGISTRY_SERVICE_URL: registry.url } });
    await registerUser(app, 'owner@example.com');
    registry.stop();
    clock.advance(60_000);
    const again = await registerUser(app, 'second@example.com');
    expect(decodeJwt(again.accessToken).perms).toContain('template:read');
    const unreachable = await buildAuth({ env: { REGISTRY_SERVICE_URL: 'http://127.0.0.1:1' } });
    expect((await unreachable.app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'x@example.com', password: 'a long enough passphrase' } })).statusCode).toBe(201);
  });
});
