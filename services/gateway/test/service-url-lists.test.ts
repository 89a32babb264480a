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

  it('names what is wrong with an entry: an empty one, a user name or password, a path, too many', () => {
    expect(() => serviceOrigins('AUTH_SERVICE_URL', 'http://a:1,')).toThrow('AUTH_SERVICE_URL: has an empty entry (a trailing or doubled comma)');
    expect(() => serviceOrigins('AUTH_SERVICE_URL', 'http://a:1,,http://b:1')).toThrow(/^AUTH_SERVICE_URL: has an empty entry/);
    expect(() => serviceOrigins('AUTH_SERVICE_URL', 'http://gateway:secret@a:1')).toThrow('AUTH_SERVICE_URL: http://a:1 carries a user name or password, which the gateway would not send');
    expect(() => serviceOrigins('AUTH_SERVICE_URL', 'http://a:1/auth')).toThrow(/^AUTH_SERVICE_URL: "http:\/\/a:1\/auth" has a path, query or fragment; .* give its origin \(http:\/\/a:1\)/);
    expect(() => serviceOrigins('AUTH_SERVICE_URL', 'http://a:1/?x=1')).toThrow(/has a path, query or fragment/);
    const many = Array.from({ length: 33 }, (_, index) => `http://a:${index + 1}`).join(',');
    expect(() => serviceOrigins('AUTH_SERVICE_URL', many)).toThrow('AUTH_SERVICE_URL: lists 33 instances; at most 32 are taken');
    expect(serviceOrigins('AUTH_SERVICE_URL', many.split(',').slice(0, 32).join(','))).toHaveLength(32);
  });

  it('never shows a user name or password in its messages, nor lets a value that is no URL past the schema', async () => {
    expect(() => serviceOrigins('BILLING_SERVICE_URL', 'http://a:1,ftp://user:s3cret@billing:8002')).toThrow('BILLING_SERVICE_URL: "ftp://***@billing:8002" is not an http(s) URL');
    expect(() => serviceOrigins('BILLING_SERVICE_URL', 'http://a:1,user:s3cret@billing:8002')).toThrow('BILLING_SERVICE_URL: "***@billing:8002" is not an http(s) URL');
    expect(() => serviceOrigins('BILLING_SERVICE_URL', 'http://user:s3cret@billing:8002/api')).toThrow(/^BILLING_SERVICE_URL: http:\/\/billing:8002 carries a user name or password/);
    for (const value of ['not a url', 'billing:8002', 'user:s3cret@billing:8002']) {
      const error: unknown = await buildGateway({ BILLING_SERVICE_URL: value }).catch((caught: unknown) => caught);
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/^BILLING_SERVICE_URL: /);
      expect((error as ConfigError).message).not.toContain('s3cret');
    }
  });

  it('stops the gateway at start with every bad variable named', async () => {
    const error: unknown = await buildGateway({ AUTH_SERVICE_URL: 'http://127.0.0.1:1,http://127.0.0.1:1', BILLING_SERVICE_URL: 'http://127.0.0.1:2,http://[::1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'AUTH_SERVICE_URL: lists http://127.0.0.1:1 more than once; name each instance once',
      expect.stringMatching(/^BILLING_SERVICE_URL: "http:\/\/\[::1" is not an http\(s\) URL/),
    ]);
  });

  it('refuses what is not a list of URLs before anything is built, naming each bad entry', async () => {
    const error: unknown = await buildGateway({ REGISTRY_SERVICE_URL: 'http://127.0.0.1:1,,ftp://x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^REGISTRY_SERVICE_URL: has an empty entry/), expect.stringMatching(/^REGISTRY_SERVICE_URL: "ftp:\/\/x" is not an http\(s\) URL/)]);
  });
});
