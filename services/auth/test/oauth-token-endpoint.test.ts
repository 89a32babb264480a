import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { createHttpClient, serviceTokenSource, type ServiceApp } from '@lift/kit';
import { buildAuth, manualClock } from './helper.js';

const secrets = 'gateway:gateway-secret-0123456789,billing:billing-secret-0123456789';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Auth on a real port, and a fetch that sends `https://lift.test/auth/*` (its public address through the gateway) to it. */
async function authOnPort() {
  const { app } = await buildAuth({ clock: manualClock(Date.now()), env: { SERVICE_CLIENT_SECRETS: secrets, PUBLIC_URL: 'https://lift.test' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const throughGateway: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== 'https://lift.test' || !url.pathname.startsWith('/auth/')) throw new Error(`unexpected request to ${url.href}`);
    return fetch(`${origin}${url.pathname.slice('/auth'.length)}${url.search}`, init);
  };
  return { app, throughGateway };
}

const tokenRequest = (app: ServiceApp, payload: string, headers: Record<string, string> = formHeaders) => app.inject({ method: 'POST', url: '/v1/oauth/token', headers, payload });

describe('the token endpoint, as an OAuth client library sees it (oauth4webapi)', () => {
  it('publishes RFC 8414 metadata, issues client-credentials tokens with Basic and post auth, and they validate as RFC 9068 access tokens', async () => {
    const { app, throughGateway } = await authOnPort();
    const issuer = new URL('https://lift.test/auth');
    const metadata = await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    const as = await oauth.processDiscoveryResponse(issuer, new Response(metadata.body, { status: metadata.statusCode, headers: { 'content-type': 'application/json' } }));
    expect(as).toMatchObject({ issuer: 'https://lift.test/auth', token_endpoint: 'https://lift.test/auth/v1/oauth/token', jwks_uri: 'https://lift.test/auth/.well-known/jwks.json' });
    expect(as.grant_types_supported).toEqual(['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange']);

    const client: oauth.Client = { client_id: 'gateway' };
    for (const clientAuth of [oauth.ClientSecretBasic('gateway-secret-0123456789'), oauth.ClientSecretPost('gateway-secret-0123456789')]) {
      const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, new URLSearchParams(), { [oauth.customFetch]: throughGateway });
      const tokens = await oauth.processClientCredentialsResponse(as, client, response);
      expect(tokens.token_type).toBe('bearer');
      const claims = await oauth.validateJwtAccessToken(as, new Request('https://api.lift.test/', { headers: { authorization: `Bearer ${tokens.access_token}` } }), 'lift-os', { [oauth.customFetch]: throughGateway });
      expect(claims).toMatchObject({ iss: 'https://lift.test/auth', aud: 'lift-os', sub: 'svc:gateway', client_id: 'gateway' });
    }
  });

  it('answers a client library\'s mistakes in RFC 6749\'s error format, never 500 and never problem+json', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const cases: [string, Promise<{ statusCode: number; headers: Record<string, unknown>; json(): unknown }>, number, string][] = [
      ['no grant_type', tokenRequest(app, form({ client_id: 'gateway', client_secret: 'gateway-secret-0123456789' })), 400, 'invalid_request'],
      ['a JSON body', tokenRequest(app, JSON.stringify({ grant_type: 'client_credentials' }), { 'content-type': 'application/json' }), 400, 'invalid_request'],
      ['a text body', tokenRequest(app, 'grant_type=client_credentials', { 'content-type': 'text/plain' }), 400, 'invalid_request'],
      ['grant_type twice', tokenRequest(app, 'grant_type=client_credentials&grant_type=client_credentials', { ...formHeaders, authorization: basic('gateway', 'gateway-secret-0123456789') }), 400, 'invalid_request'],
      ['Basic that is not base64', tokenRequest(app, form({ grant_type: 'client_credentials' }), { ...formHeaders, authorization: 'Basic %%%not-base64' }), 401, 'invalid_client'],
      ['Basic without a colon', tokenRequest(app, form({ grant_type: 'client_credentials' }), { ...formHeaders, authorization: `Basic ${Buffer.from('gateway').toString('base64')}` }), 401, 'invalid_client'],
      ['Basic with a broken escape', tokenRequest(app, form({ grant_type: 'client_credentials' }), { ...formHeaders, authorization: basic('gate%zzway', 'x') }), 401, 'invalid_client'],
      ['a Bearer header', tokenRequest(app, form({ grant_type: 'client_credentials' }), { ...formHeaders, authorization: 'Bearer abc' }), 401, 'invalid_client'],
      ['Basic and client_secret together', tokenRequest(app, form({ grant_type: 'client_credentials', client_secret: 'x' }), { ...formHeaders, authorization: basic('gateway', 'gateway-secret-0123456789') }), 400, 'invalid_request'],
      ['a wrong secret', tokenRequest(app, form({ grant_type: 'client_credentials', client_id: 'gateway', client_secret: 'billing-secret-0123456789' })), 401, 'invalid_client'],
      ['an unknown client', tokenRequest(app, form({ grant_type: 'client_credentials', client_id: 'intruder', client_secret: 'gateway-secret-0123456789' })), 401, 'invalid_client'],
      ['no client at all', tokenRequest(app, form({ grant_type: 'client_credentials' })), 401, 'invalid_client'],
      ['another grant', tokenRequest(app, form({ grant_type: 'password', client_id: 'gateway', client_secret: 'gateway-secret-0123456789' })), 400, 'unsupported_grant_type'],
      ['a scope the client lacks', tokenRequest(app, form({ grant_type: 'client_credentials', scope: 'platform:admin' }), { ...formHeaders, authorization: basic('gateway', 'gateway-secret-0123456789') }), 400, 'invalid_scope'],
    ];
    for (const [name, pending, status, error] of cases) {
      const response = await pending;
      expect({ name, status: response.statusCode, error: (response.json() as { error: string }).error }).toEqual({ name, status, error });
      expect(response.headers['content-type'], name).toMatch(/^application\/json/);
      expect(response.headers['cache-control'], name).toBe('no-store');
      if (status === 401) expect(response.headers['www-authenticate'], name).toMatch(/^Basic /);
    }
  });

  it('narrows a service token to the scope asked for, and declares the form encoding in the OpenAPI document', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const response = await tokenRequest(app, form({ grant_type: 'client_credentials', scope: 'billing:usage' }), { ...formHeaders, authorization: basic('gateway', 'gateway-secret-0123456789') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'billing:usage' });
    expect(decodeJwt(response.json().access_token)).toMatchObject({ sub: 'svc:gateway', org: 'platform', perms: ['billing:usage'], client_id: 'gateway' });

    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operation = document.paths['/v1/oauth/token'].post;
    expect(Object.keys(operation.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(operation.security).toEqual([]);
  });

  it('issues service tokens with the service\'s permissions, fetched by the kit\'s token source and reused until shortly before they expire', async () => {
    const clock = manualClock(Date.now());
    const { app } = await buildAuth({ clock, env: { SERVICE_CLIENT_SECRETS: secrets } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const http = createHttpClient({ service: 'billing', version: 'test' });
    const source = serviceTokenSource({ http, authUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, clientId: 'billing', clientSecret: 'billing-secret-0123456789', clock });
    const first = await source.token();
    expect(decodeJwt(first)).toMatchObject({ sub: 'svc:billing', org: 'platform', roles: ['service'], perms: ['registry:read', 'org:lookup'], client_id: 'billing' });
    expect(await source.token()).toBe(first);
    clock.advance(271_000);
    expect(await source.token()).not.toBe(first);
    await http.close();
  });
});
