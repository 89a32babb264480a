import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { skipUnless } from '../../../tests/support/skip-rule.js';

export interface SelfSignedCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  remove(): void;
}

/** Whether the openssl command is on this machine (Debian images carry it; the tests need it). */
function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh certificate for localhost and 127.0.0.1, valid for a day, made with the openssl
 * command (no key is committed to the repository, and no npm package is needed).
 */
export function selfSignedCertificate(): SelfSignedCertificate {
  const folder = mkdtempSync(join(tmpdir(), 'lift-tls-'));
  const certFile = join(folder, 'cert.pem');
  const keyFile = join(folder, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * A describe block whose tests share one fresh certificate, made before and removed after them;
 * skipped, and saying so, where the openssl command is missing.
 */
export function describeWithCertificate(name: string, tests: (certificate: () => SelfSignedCertificate) => void): void {
  describe.skipIf(skipUnless(opensslAvailable(), name, 'the openssl command (to make a certificate)'))(name, () => {
    let certificate: SelfSignedCertificate | undefined;
    beforeAll(() => {
      certificate = selfSignedCertificate();
    });
    afterAll(() => certificate?.remove());
    tests(() => {
      if (!certificate) throw new Error('the certificate is made before the tests run');
      return certificate;
    });
  });
}
