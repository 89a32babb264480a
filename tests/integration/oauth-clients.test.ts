import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';

// A strict RFC 6749 / 8414 / 8693 / 9068 client library against the real auth service through the
// real gateway: what an OAuth client (a service, a module, a partner's integration) sees.
const secrets = { gateway: 'gateway-secret-for-the-oauth-suite', billing: 'billing-secret-for-the-oauth-suite' };
const insecure = { [oauth.allowInsecureRequests]: true };

describe('the platform as an OAuth client library sees it (oauth4webapi, through the gateway)', () => {
  const processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let as: oauth.AuthorizationServer;
  let issuer: URL;

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lift-oauth-'));
    const [authPort, gatewayPort] = await Promise.all([freePort(), freePort()]);
    const publicUrl = `http://127.0.0.1:${gatewayPort}`;
    const env = {
      PUBLIC_URL: publicUrl,
      GATEWAY_URL: publicUrl,
      AUTH_SERVICE_URL: `http://127.0.0.1:${authPort}`,
      REGISTRY_SERVICE_URL: '',
      SERVICE_CLIENT_SECRETS: `gateway:${secrets.gateway},billing:${secrets.billing}`,
      USAGE_METERING: 'false',
    };
    const auth = startServiceProcess({ name: 'auth', port: authPort, cwd, env });
    gateway = startServiceProcess({ name: 'gateway', port: gatewayPort, cwd, env });
    processes.push(auth, gateway);
    await Promise.all(processes.map((service) => waitUntilReady(service)));
    issuer = new URL(`${publicUrl}/auth`);
  });

  afterAll(async () => {
    await Promise.all(processes.map((service) => service.stop()));
  });

  it('discovers the authorization server where RFC 8414 puts it, and where the platform documents it', async () => {
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    expect(as).toMatchObject({ issuer: issuer.href, token_endpoint: `${issuer.href}/v1/oauth/token`, jwks_uri: `${issuer.href}/.well-known/jwks.json` });
    const documented = await fetch(`${gateway.url}/auth/.well-known/oauth-authorization-server`);
    expect(await documented.json()).toEqual(as);
  });

  it('issues client-credentials tokens that validate as RFC 9068 access tokens, narrowed to the scope asked for', async () => {
    const client: oauth.Client = { client_id: 'billing' };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(secrets.billing), new URLSearchParams({ scope: 'org:lookup' }), insecure);
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(tokens.scope).toBe('org:lookup');
    const claims = await oauth.validateJwtAccessToken(as, new Request('http://resource.example/', { headers: { authorization: `Bearer ${tokens.access_token}` } }), 'lift-os', insecure);
    expect(claims).toMatchObject({ iss: issuer.href, sub: 'svc:billing', client_id: 'billing', perms: ['org:lookup'] });
  });

  it('exchanges a person\'s token for a module\'s, and the module\'s for a delegated platform token (RFC 8693)', async () => {
    const person = (await (await fetch(`${gateway.url}/auth/v1/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password: 'a long enough passphrase' }) })).json()) as { accessToken: string };
    const asGateway: oauth.Client = { client_id: 'gateway' };
    const toModule = await oauth.genericTokenEndpointRequest(
      as,
      asGateway,
      oauth.ClientSecretBasic(secrets.gateway),
      'urn:ietf:params:oauth:grant-type:token-exchange',
      { subject_token: person.accessToken, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', audience: 'module:notes' },
      insecure,
    );
    const moduleToken = await oauth.processGenericTokenEndpointResponse(as, asGateway, toModule);
    expect(moduleToken.issued_token_type).toBe('urn:ietf:params:oauth:token-type:access_token');
    await expect(oauth.validateJwtAccessToken(as, new Request('http://notes.example/', { headers: { authorization: `Bearer ${moduleToken.access_token}` } }), 'module:notes', insecure)).resolves.toMatchObject({ client_id: 'gateway' });
    // The core services refuse it: it is the module's.
    expect((await fetch(`${gateway.url}/auth/v1/me`, { headers: { authorization: `Bearer ${moduleToken.access_token}` } })).status).toBe(401);

    const asModule: oauth.Client = { client_id: 'module:notes', token_endpoint_auth_method: 'none' };
    const toPlatform = await oauth.genericTokenEndpointRequest(as, asModule, oauth.None(), 'urn:ietf:params:oauth:grant-type:token-exchange', { subject_token: moduleToken.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' }, insecure);
    const delegated = await oauth.processGenericTokenEndpointResponse(as, asModule, toPlatform);
    const claims = await oauth.validateJwtAccessToken(as, new Request('http://resource.example/', { headers: { authorization: `Bearer ${delegated.access_token}` } }), 'lift-os', insecure);
    expect(claims).toMatchObject({ act: { sub: 'module:notes' }, client_id: 'module:notes' });
  });

  it('answers a client\'s mistakes as RFC 6749 errors the library understands, through the gateway', async () => {
    const client: oauth.Client = { client_id: 'billing' };
    const wrong = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('not the secret'), new URLSearchParams(), insecure);
    // RFC 6749 §5.2: a 401 with the Basic challenge, which the library surfaces as such, and the error in the body.
    const failure = (await oauth.processClientCredentialsResponse(as, client, wrong).catch((error: unknown) => error)) as oauth.WWWAuthenticateChallengeError;
    expect(failure).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect({ status: failure.status, scheme: failure.cause[0]?.scheme }).toEqual({ status: 401, scheme: 'basic' });
    expect(await failure.response.json()).toMatchObject({ error: 'invalid_client' });
    const malformed = await fetch(as.token_endpoint as string, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic %%%' }, body: 'grant_type=client_credentials' });
    expect(malformed.status).toBe(401);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_client' });
    const noGrant = await fetch(as.token_endpoint as string, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(noGrant.status).toBe(400);
    expect(noGrant.headers.get('cache-control')).toBe('no-store');
    expect(await noGrant.json()).toMatchObject({ error: 'invalid_request' });
  });
});
