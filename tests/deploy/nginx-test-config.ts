import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../support/service-process.js';

/** nginx's version as [major, minor, patch], from `nginx -v` (it prints on stderr). */
function nginxVersion(): number[] {
  const output = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr;
  return (/nginx\/(\d+)\.(\d+)\.(\d+)/.exec(output)?.slice(1) ?? []).map(Number);
}

export interface NginxTestPorts {
  readonly http: number;
  readonly https: number;
  /** Where the gateway stands in; the file's own `gateway:8000` when absent. */
  readonly gateway?: string;
}

/**
 * configs/gateway/nginx.conf as this machine's nginx can run it in `dir`: a fresh self-signed
 * certificate where the compose secrets are mounted, the pid file and logs inside `dir`, and —
 * given ports — loopback listeners and a stand-in gateway instead of 80/443 and Docker's DNS.
 * Returns the written file's path.
 */
export function nginxTestConfig(dir: string, ports?: NginxTestPorts): string {
  const certificate = join(dir, 'certificate.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '1', '-subj', '/CN=lift.example.com'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  let config = readFileSync(join(repositoryRoot, 'configs/gateway/nginx.conf'), 'utf8')
    .replace('/run/secrets/tls_certificate', certificate)
    .replace('/run/secrets/tls_private_key', key)
    .replace('pid /tmp/nginx.pid;', `pid ${join(dir, 'nginx.pid')};`);
  // `http2 on;` came with nginx 1.25.1; the image runs 1.27, Debian 12 ships 1.22.
  const [major = 0, minor = 0, patch = 0] = nginxVersion();
  if (major * 1_000_000 + minor * 1_000 + patch < 1_025_001) config = config.replace(/^\s*http2 on;$/m, '');
  if (ports) {
    config = config
      .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${ports.http};`)
      .replace(/^(\s*)listen 443 ssl;$/m, `$1listen 127.0.0.1:${ports.https} ssl;`)
      .replace('access_log /dev/stdout;', `access_log ${join(dir, 'access.log')};`)
      .replace('error_log /dev/stderr warn;', `error_log ${join(dir, 'error.log')} warn;`);
    if (ports.gateway) config = config.replace('set $gateway http://gateway:8000;', `set $gateway http://${ports.gateway};`);
  }
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config);
  return file;
}
