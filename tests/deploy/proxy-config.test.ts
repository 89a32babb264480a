import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { nginxTestConfig } from './nginx-test-config.js';

const has = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
const skip = skipUnless(has('nginx', ['-v']) && has('openssl', ['version']), 'the reverse proxy\'s configuration checked by nginx -t', 'nginx (Debian package nginx-light) and openssl');

describe.skipIf(skip)('configs/gateway/nginx.conf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lift-nginx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes nginx -t with a certificate where the compose secrets are mounted', () => {
    const config = nginxTestConfig(dir);
    // The file logs to /dev/stdout and /dev/stderr, which nginx opens: they must be files or pipes
    // (vitest gives a child sockets, which cannot be opened by name).
    const outputFile = join(dir, 'nginx.out');
    const output = openSync(outputFile, 'w');
    const checked = spawnSync('nginx', ['-t', '-p', dir, '-c', config], { stdio: ['ignore', output, output] });
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
