import { describe, expect, it } from 'vitest';
import { allowedNetworksFrom, urlProblem, type UrlPolicy } from '../src/url-guard.js';
import { admin, buildRegistry, manifest } from './helper.js';

const closedPolicy: UrlPolicy = { allowedNetworks: allowedNetworksFrom(''), platformEndpoints: new Set(['127.0.0.1:8001', 'localhost:8001']) };
const resolveTo = (addresses: string[]) => async () => addresses;

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
    const lan: UrlPolicy = { ...closedPolicy, allowedNetworks: allowedNetworksFrom('10.0.0.0/8,127.0.0.0/8') };
    expect(await urlProblem('http://10.1.2.3/', lan)).toBeUndefined();
    expect(await urlProblem('http://127.0.0.1:9000/', lan)).toBeUndefined();
    expect(await urlProblem('http://192.168.1.10/', lan)).toMatch(/loopback or private/);
    expect(await urlProblem('https://modules.example/', lan, resolveTo(['93.184.215.14']))).toBeUndefined();
  });

  it('refuses the platform\'s own services', async () => {
    const lan: UrlPolicy = { ...closedPolicy, allowedNetworks: allowedNetworksFrom('127.0.0.0/8') };
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
});
