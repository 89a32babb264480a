import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';

const scriptsDirectory = join(repositoryRoot, 'scripts');

/** Every shell file under scripts/ — a new script is covered without touching this test. */
function shellFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return shellFiles(path);
    return entry.name.endsWith('.sh') ? [path] : [];
  });
}

const files = shellFiles(scriptsDirectory);
const runnable = files.filter((file) => !file.includes('/lib/'));
const shellcheckMissing = skipUnless(spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).status === 0, 'shellcheck of scripts/', 'shellcheck (apt-get install shellcheck)');

describe('the scripts in scripts/', () => {
  it('are there: the seed\'s names and the backup pair', () => {
    const names = runnable.map((file) => relative(scriptsDirectory, file)).sort();
    expect(names).toEqual(expect.arrayContaining(['backup.sh', 'build-and-tag.sh', 'deploy-prod.sh', 'restore.sh', 'setup-dev.sh', 'start-services.sh', 'stop-services.sh', 'test-integration.sh', 'update-services.sh']));
  });

  it.each(runnable.map((file) => [relative(repositoryRoot, file), file]))('%s is executable bash with set -euo pipefail', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(statSync(file).mode & 0o111).not.toBe(0);
  });

  it.each(files.map((file) => [relative(repositoryRoot, file), file]))('%s parses (bash -n)', (_name, file) => {
    const result = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(shellcheckMissing).each(files.map((file) => [relative(repositoryRoot, file), file]))('%s passes shellcheck', (_name, file) => {
    // Run from elsewhere: scripts/.shellcheckrc must be what finds the sourced lib/common.sh.
    const result = spawnSync('shellcheck', ['--severity=style', file], { encoding: 'utf8', cwd: '/' });
    expect(result.stdout, result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
