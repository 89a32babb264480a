import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';

const has = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
const skip = skipUnless(has('nginx', ['-v']) && has('openssl', ['version']), 'the reverse proxy\'s configuration checked by nginx -t', 'nginx (Debian package nginx-light) and openssl');

/** nginx's version as [major, minor, patch], from `nginx -v` (it prints on stderr). */
function nginxVersion(): number[] {
  const output = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr;
  return (/nginx\/(\d+)\.(\d+)\.(\d+)/.exec(output)?.slice(1) ?? []).map(Number);
}

describe.skipIf(skip)('configs/gateway/nginx.conf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lift-nginx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes nginx -t with a certificate where the compose secrets are mounted', () => {
    const certificate = join(dir, 'certificate.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '1', '-subj', '/CN=lift.example.com'], { encoding: 'utf8' });
    expect(made.status).toBe(0);
    let config = readFileSync(join(repositoryRoot, 'configs/gateway/nginx.conf'), 'utf8')
      .replace('/run/secrets/tls_certificate', certificate)
      .replace('/run/secrets/tls_private_key', key)
      .replace('pid /tmp/nginx.pid;', `pid ${join(dir, 'nginx.pid')};`);
    // `http2 on;` came with nginx 1.25.1; the image runs 1.27, Debian 12 ships 1.22.
    const [major = 0, minor = 0, patch = 0] = nginxVersion();
    if (major * 1_000_000 + minor * 1_000 + patch < 1_025_001) config = config.replace(/^\s*http2 on;$/m, '');
    writeFileSync(join(dir, 'nginx.conf'), config);
    // The file logs to /dev/stdout and /dev/stderr, which nginx opens: they must be files or pipes
    // (vitest gives a child sockets, which cannot be opened by name).
    const outputFile = join(dir, 'nginx.out');
    const output = openSync(outputFile, 'w');
    const checked = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', output, output] });
    closeSync(output);
    expect(readFileSync(outputFile, 'utf8')).toMatch(/test is successful/);
    expect(checked.status).toBe(0);
  });

  it('runs the image whose nginx knows every directive the file uses', () => {
    const compose = readFileSync(join(repositoryRoot, 'docker-compose.prod.yml'), 'utf8');
    const [, minor] = /image: nginx:1\.(\d+)/.exec(compose) ?? [];
    expect(Number(minor)).toBeGreaterThanOrEqual(25);
  });
});
