import { mkdtempSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressPolicyFrom } from '@lift/kit';
import { urlProblem, type UrlPolicy } from '../src/url-guard.js';
import { admin, buildRegistry, manifest, startModuleServer } from './helper.js';

const closedPolicy: UrlPolicy = { addresses: addressPolicyFrom(''), platformEndpoints: new Set(['127.0.0.1:8001', 'localhost:8001']) };
const resolveTo = (addresses: string[]) => async () => addresses.map((address) => ({ address, family: isIP(address) }));

describe('module URLs the platform will call', () => {
  it('refuses non-HTTP schemes, credentials and metadata hosts', async () => {
    expect(await urlProblem('file:///etc/passwd', closedPolicy)).toBe('must be an http or https URL');
    expect(await urlProblem('gopher://example.com/', closedPolicy)).toBe('must be an http or https URL');
    expect(await urlProblem('http://user:pw@example.com/', closedPolicy)).toBe('must not carry credentials');
    expect(await urlProblem('http://metadata.google.internal/computeMetadata/v1/', closedPolicy)).toBe('points at a cloud metadata service');
  });

  it('refuses link-local and metadata addresses however they are written', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/', 'http://0.0.0.0:8080/', 'http://[fe80::1]/']) {
      expect(await urlProblem(url, closedPolicy), url).toMatch(/link-local, metadata or reserved/);
    }
    // A hostname that resolves to the metadata address (DNS rebinding at registration time).
    expect(await urlProblem('http://innocent.example/', closedPolicy, resolveTo(['169.254.169.254']))).toMatch(/metadata/);
  });

  it('refuses loopback and private ranges unless they are allowed', async () => {
    for (const url of ['http://127.0.0.1:9000/', 'http://10.1.2.3/', 'http://172.20.0.5/', 'http://192.168.1.10/', 'http://[::1]:9000/']) {
      expect(await urlProblem(url, closedPolicy), url).toMatch(/loopback or private/);
    }
    const lan: UrlPolicy = { ...closedPolicy, addresses: addressPolicyFrom('10.0.0.0/8,127.0.0.0/8') };
    expect(await urlProblem('http://10.1.2.3/', lan)).toBeUndefined();
    expect(await urlProblem('http://127.0.0.1:9000/', lan)).toBeUndefined();
    expect(await urlProblem('http://192.168.1.10/', lan)).toMatch(/loopback or private/);
    expect(await urlProblem('https://modules.example/', lan, resolveTo(['93.184.215.14']))).toBeUndefined();
  });

  // Issue #10 item 7: IPv6 forms that carry an IPv4 address, and IPv4 written as numbers.
  it('refuses loopback and metadata addresses in every spelling the URL parser accepts', async () => {
    const cases: [string, RegExp][] = [
      ['http://[::a9fe:a9fe]/', /169\.254\.169\.254, a link-local, metadata or reserved/],
      ['http://[64:ff9b::a9fe:a9fe]/', /169\.254\.169\.254, a link-local/],
      ['http://[2002:a9fe:a9fe::1]/', /169\.254\.169\.254, a link-local/],
      ['http://[::ffff:127.0.0.1]:9000/', /127\.0\.0\.1, a loopback or private address, which MODULE_URL_ALLOWED_NETWORKS/],
      ['http://[::ffff:0:7f00:1]/', /127\.0\.0\.1, a loopback/],
      ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', /127\.0\.0\.1, a loopback/],
      ['http://[fec0::1]/', /fec0::1, a loopback or private/],
      ['http://127.1/', /127\.0\.0\.1, a loopback/],
      ['http://0x7f.1/', /127\.0\.0\.1, a loopback/],
      ['http://2130706433/', /127\.0\.0\.1, a loopback/],
      ['http://0177.0.0.1/', /127\.0\.0\.1, a loopback/],
      ['http://0251.0376.0251.0376/', /169\.254\.169\.254, a link-local/],
      ['http://168.63.129.16/', /^points at 168\.63\.129\.16, a link-local, metadata or reserved address$/], // Azure's host endpoint (wireserver)
    ];
    for (const [url, expected] of cases) expect(await urlProblem(url, closedPolicy), url).toMatch(expected);
    // A name resolving to a mapped loopback address is no better.
    expect(await urlProblem('http://innocent.example/', closedPolicy, resolveTo(['::ffff:7f00:1']))).toMatch(/127\.0\.0\.1, a loopback/);
  });

  it('refuses the platform\'s own services by an address that carries theirs', async () => {
    const lan: UrlPolicy = { ...closedPolicy, addresses: addressPolicyFrom('127.0.0.0/8') };
    expect(await urlProblem('http://[::ffff:127.0.0.1]:8001/', lan)).toBe("points at one of the platform's own services");
    expect(await urlProblem('http://2130706433:8001/', lan)).toBe("points at one of the platform's own services");
    // Review of #19: any loopback address reaches a service listening on loopback.
    expect(await urlProblem('http://127.0.0.2:8001/', lan)).toBe("points at one of the platform's own services");
    expect(await urlProblem('http://127.255.0.9:8001/', lan)).toBe("points at one of the platform's own services");
    expect(await urlProblem('http://[::1]:8001/', lan)).toBe("points at one of the platform's own services");
    expect(await urlProblem('http://loop.example:8001/', lan, resolveTo(['127.3.2.1']))).toBe("points at one of the platform's own services");
    expect(await urlProblem('http://127.0.0.2:9001/', lan)).toBeUndefined();
  });

  it('refuses the platform\'s own services', async () => {
    const lan: UrlPolicy = { ...closedPolicy, addresses: addressPolicyFrom('127.0.0.0/8') };
    expect(await urlProblem('http://127.0.0.1:8001/', lan)).toBe("points at one of the platform's own services");
    expect(await urlProblem('http://localhost:8001/v1', lan, resolveTo(['127.0.0.1']))).toBe("points at one of the platform's own services");
  });

  it('makes registration answer 400 naming the field', async () => {
    const { app } = await buildRegistry({ env: { MODULE_URL_ALLOWED_NETWORKS: '' } });
    const headers = await admin();
    const metadata = await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: 'http://169.254.169.254/' }) });
    expect(metadata.statusCode).toBe(400);
    expect(metadata.json()).toMatchObject({ code: 'REGISTRY_UNSAFE_URL', field: 'body.baseUrl' });
    const healthUrl = await app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: 'https://93.184.215.14/', healthEndpoint: 'http://127.0.0.1:8005/health' }) });
    expect(healthUrl.statusCode).toBe(400);
    expect(healthUrl.json()).toMatchObject({ code: 'REGISTRY_UNSAFE_URL', field: 'body.healthEndpoint' });
    const own = await buildRegistry();
    const gateway = await own.app.inject({ method: 'POST', url: '/v1/modules', headers, payload: manifest({ baseUrl: 'http://127.0.0.1:8000/' }) });
    expect(gateway.json()).toMatchObject({ code: 'REGISTRY_UNSAFE_URL', detail: expect.stringContaining("platform's own") });
  });

  it('checks a stored module\'s address again when the health checker connects, opening no connection it refuses', async () => {
    // Registered while loopback was allowed; the operator has since closed it (or the row predates the policy).
    const databaseUrl = `sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-registry-')), 'lift.db')}`;
    const module = await startModuleServer();
    const before = await buildRegistry({ env: { DATABASE_URL: databaseUrl } });
    const registered = await before.app.inject({ method: 'POST', url: '/v1/modules', headers: await admin(), payload: manifest({ baseUrl: `http://[::ffff:127.0.0.1]:${module.port}` }) });
    expect(registered.statusCode).toBe(201);
    const after = await buildRegistry({ env: { DATABASE_URL: databaseUrl, MODULE_URL_ALLOWED_NETWORKS: '', HEALTH_UNHEALTHY_THRESHOLD: '1' } });
    await after.app.runHealthChecks();
    const health = (await after.app.inject({ method: 'GET', url: '/v1/modules/causal/health', headers: await admin() })).json();
    expect(health).toMatchObject({ status: 'unhealthy', lastError: 'health endpoint unreachable (EREFUSED_BY_POLICY)' });
    expect(module.requests).toEqual([]);
  });
});
