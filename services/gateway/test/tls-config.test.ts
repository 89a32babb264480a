import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { ConfigError, loadConfig } from '@lift/kit';
import { tlsConfigProperties, tlsCredentialsFrom } from '../src/tls-config.js';
import { describeWithCertificate, selfSignedCertificate } from './self-signed-certificate.js';

const schema = Type.Object(tlsConfigProperties());
const configFrom = (env: Record<string, string>) => loadConfig(schema, { env });

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describeWithCertificate('TLS configuration of the gateway', (certificate) => {
  it('leaves HTTPS off when neither file is set, on port 8443 by default', async () => {
    const config = await configFrom({});
    expect(config.TLS_PORT).toBe(8443);
    expect(tlsCredentialsFrom(config)).toBeUndefined();
  });

  it('reads the certificate and key at start when both are set', async () => {
    const config = await configFrom({ TLS_CERT_FILE: certificate().certFile, TLS_KEY_FILE: certificate().keyFile, TLS_PORT: '9443' });
    const credentials = tlsCredentialsFrom(config);
    expect(credentials?.port).toBe(9443);
    expect(credentials?.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(credentials?.key.toString()).toContain('PRIVATE KEY');
  });

  it('refuses one file without the other, naming the missing variable', async () => {
    expect(problemsOf(() => tlsCredentialsFrom({ TLS_PORT: 8443, TLS_CERT_FILE: certificate().certFile }))).toEqual([expect.stringMatching(/^TLS_KEY_FILE: is required when TLS_CERT_FILE is set/)]);
    expect(problemsOf(() => tlsCredentialsFrom({ TLS_PORT: 8443, TLS_KEY_FILE: certificate().keyFile }))).toEqual([expect.stringMatching(/^TLS_CERT_FILE: is required when TLS_KEY_FILE is set/)]);
  });

  it('names each file it cannot read, with its path', () => {
    const missing = join(certificate().certFile, '..', 'nowhere.pem');
    const problems = problemsOf(() => tlsCredentialsFrom({ TLS_PORT: 8443, TLS_CERT_FILE: missing, TLS_KEY_FILE: missing }));
    expect(problems).toEqual([`TLS_CERT_FILE: cannot read ${missing} (ENOENT)`, `TLS_KEY_FILE: cannot read ${missing} (ENOENT)`]);
  });

  it('never echoes a value that is not a path, such as a key pasted in by mistake', () => {
    const pasted = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJUST-A-SECRET\n-----END PRIVATE KEY-----';
    const problems = problemsOf(() => tlsCredentialsFrom({ TLS_PORT: 8443, TLS_CERT_FILE: certificate().certFile, TLS_KEY_FILE: pasted }));
    expect(problems).toEqual(['TLS_KEY_FILE: cannot read the file it names (the value does not look like a path) (ENOENT)']);
  });

  it('refuses files that are not a certificate and its key', () => {
    const garbage = join(certificate().certFile, '..', 'garbage.pem');
    writeFileSync(garbage, 'not a pem file');
    const swapped = problemsOf(() => tlsCredentialsFrom({ TLS_PORT: 8443, TLS_CERT_FILE: certificate().keyFile, TLS_KEY_FILE: certificate().certFile }));
    expect(swapped).toEqual([expect.stringMatching(/^TLS_CERT_FILE: .* and TLS_KEY_FILE: .* are not a PEM certificate and its private key/)]);
    const other = selfSignedCertificate();
    try {
      const mismatched = problemsOf(() => tlsCredentialsFrom({ TLS_PORT: 8443, TLS_CERT_FILE: certificate().certFile, TLS_KEY_FILE: other.keyFile }));
      expect(mismatched).toHaveLength(1);
      expect(mismatched[0]).toMatch(/not a PEM certificate and its private key/);
    } finally {
      other.remove();
    }
    expect(problemsOf(() => tlsCredentialsFrom({ TLS_PORT: 8443, TLS_CERT_FILE: garbage, TLS_KEY_FILE: certificate().keyFile }))).toHaveLength(1);
  });

  it('validates the port like every other variable', async () => {
    await expect(configFrom({ TLS_PORT: 'https' })).rejects.toThrow(/TLS_PORT/);
    await expect(configFrom({ TLS_PORT: '70000' })).rejects.toThrow(/TLS_PORT/);
  });
});
