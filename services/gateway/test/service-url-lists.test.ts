import { ConfigError } from '@lift/kit';
import { describe, expect, it } from 'vitest';
import { serviceOrigins } from '../src/service-url-list.js';
import { buildGateway } from './helper.js';

describe('*_SERVICE_URL with several instances', () => {
  it('accepts one URL or a comma-separated list, spaces after the commas allowed', () => {
    expect(serviceOrigins('AUTH_SERVICE_URL', 'http://127.0.0.1:8001')).toEqual(['http://127.0.0.1:8001']);
    expect(serviceOrigins('AUTH_SERVICE_URL', 'http://auth-1:8001/, https://auth-2:9001')).toEqual(['http://auth-1:8001', 'https://auth-2:9001']);
  });

  it('refuses an entry that is not an http(s) URL and an instance named twice, naming the variable', () => {
    expect(() => serviceOrigins('MEMORY_SERVICE_URL', 'http://a:1,http://[::1')).toThrow(/^MEMORY_SERVICE_URL: "http:\/\/\[::1" is not an http\(s\) URL/);
    expect(() => serviceOrigins('MEMORY_SERVICE_URL', 'http://a:1,http://a:1/')).toThrow('MEMORY_SERVICE_URL: lists http://a:1 more than once; name each instance once');
  });

  it('stops the gateway at start with every bad variable named', async () => {
    const error: unknown = await buildGateway({ AUTH_SERVICE_URL: 'http://127.0.0.1:1,http://127.0.0.1:1', BILLING_SERVICE_URL: 'http://127.0.0.1:2,http://[::1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'AUTH_SERVICE_URL: lists http://127.0.0.1:1 more than once; name each instance once',
      expect.stringMatching(/^BILLING_SERVICE_URL: "http:\/\/\[::1" is not an http\(s\) URL/),
    ]);
  });

  it('refuses what is not a list of URLs before anything is built', async () => {
    const error: unknown = await buildGateway({ REGISTRY_SERVICE_URL: 'http://127.0.0.1:1,,ftp://x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^REGISTRY_SERVICE_URL: /m);
  });
});
