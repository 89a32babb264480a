import { bearerFor } from '../../../tests/support/test-token.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccessTokenVerifier, createLogger, loadConfig, systemClock, type ServiceApp } from '@lift/kit';
import { buildApp } from '../src/app.js';
import { templateConfigSchema } from '../src/config.js';

const secret = Buffer.from('template tests sign their own HS256 tokens');
const apps: ServiceApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function buildTemplate(): Promise<ServiceApp> {
  const config = await loadConfig(templateConfigSchema, { env: {} });
  const verifier = createAccessTokenVerifier({ keys: { algorithm: 'HS256', secret }, issuer: 'http://localhost:8000/auth', audience: 'lift-os', clock: systemClock });
  const app = await buildApp({ config, log: createLogger({ service: 'template', version: 'test', level: 'silent' }), clock: systemClock, verifier });
  apps.push(app);
  return app;
}

function bearer(permissions: string[], organisation = 'org-1') {
  return bearerFor({ secret: secret.toString(), organisation, permissions, roles: ['member'], lifetimeSeconds: 300 });
}

describe('the template module', () => {
  it('keeps notes per organisation for callers with its permissions', async () => {
    const app = await buildTemplate();
    const writer = await bearer(['template:read', 'template:write']);
    const created = await app.inject({ method: 'POST', url: '/v1/notes', headers: writer, payload: { text: 'hello' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ text: 'hello', author: 'user-1' });
    expect((await app.inject({ method: 'GET', url: '/v1/notes', headers: writer })).json().items).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: '/v1/notes', headers: await bearer(['template:read'], 'org-2') })).json().items).toEqual([]);
  });

  it('checks tokens and permissions itself, and validates bodies', async () => {
    const app = await buildTemplate();
    expect((await app.inject({ method: 'GET', url: '/v1/notes' })).statusCode).toBe(401);
    const reader = await bearer(['template:read']);
    expect((await app.inject({ method: 'POST', url: '/v1/notes', headers: reader, payload: { text: 'x' } })).statusCode).toBe(403);
    const bad = await app.inject({ method: 'POST', url: '/v1/notes', headers: await bearer(['template:write']), payload: { text: '' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.text');
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ service: 'template' });
  });
});
