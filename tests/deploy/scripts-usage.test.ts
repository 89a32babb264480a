import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { scratchDirectories } from '../support/scratch-directories.js';

const scratch = scratchDirectories();

// A fresh LIFT_HOME: nothing a script might read or write touches the repository's own.
const home = scratch('lift-scripts-');

function script(name: string, ...args: string[]) {
  const result = spawnSync('bash', [join(repositoryRoot, 'scripts', name), ...args], { cwd: home, env: { ...process.env, LIFT_HOME: home }, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const scripts = ['setup-dev.sh', 'start-services.sh', 'stop-services.sh', 'test-integration.sh', 'deploy-prod.sh', 'update-services.sh', 'build-and-tag.sh', 'backup.sh', 'restore.sh'];

/** An argument each script refuses before doing anything, and what its message must name. */
const wrongArguments: readonly (readonly [string, readonly string[], RegExp])[] = [
  ['setup-dev.sh', ['--fast'], /unknown argument '--fast'/],
  ['start-services.sh', ['staging'], /unknown mode 'staging'; choose native, dev, prod or test/],
  ['stop-services.sh', ['staging'], /unknown mode 'staging'/],
  ['test-integration.sh', ['--all'], /unknown argument '--all'/],
  ['deploy-prod.sh', ['--target', 'nomad'], /unknown target 'nomad'; choose compose or kubernetes/],
  ['deploy-prod.sh', ['--timeout', 'soon'], /--timeout needs a number of seconds/],
  ['update-services.sh', ['payments', '1.0.0'], /unknown service 'payments'; choose from gateway auth billing memory observability registry/],
  ['update-services.sh', ['auth'], /give a service and a version/],
  ['update-services.sh', ['--target', 'nomad', 'auth', '1.0.0'], /unknown target 'nomad'; choose compose or kubernetes/],
  ['update-services.sh', ['--target', 'kubernetes', '--timeout', '0', 'auth', '1.0.0'], /--timeout needs a number of seconds/],
  ['deploy-prod.sh', ['--context'], /--context needs a kubectl context name/],
  ['build-and-tag.sh', ['payments'], /unknown service 'payments'/],
  ['build-and-tag.sh', ['auth', 'v1;rm'], /'v1;rm' is not a valid image tag/],
  ['backup.sh', ['--into', 'x'], /unknown argument '--into'/],
  ['restore.sh', [], /name the backup directory to restore/],
];

describe('each script\'s command line', () => {
  it.each(scripts)('%s --help prints its usage and exits 0', (name) => {
    const result = script(name, '--help');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: ${name.replace('.', '\\.')} `));
  });

  it.each(wrongArguments.map(([name, args, message]) => [name, args.join(' '), args, message] as const))('%s %s exits 2 and says what is wrong', (name, _shown, args, message) => {
    const result = script(name, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${name.replace('.', '\\.')}: `));
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(`Run '${name} --help' for usage.`);
  });

  it('restore.sh names a directory that is not there', () => {
    const result = script('restore.sh', join(home, 'no-such-backup'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no-such-backup is not a directory');
  });
});

// This machine kind has a docker client and no engine; where an engine runs, there is nothing to refuse.
const engineRunning = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;

describe.skipIf(engineRunning)('container modes without a running engine', () => {
  it.each([['start-services.sh', 'dev'], ['start-services.sh', 'prod'], ['start-services.sh', 'test'], ['stop-services.sh', 'dev'], ['deploy-prod.sh', '--target'], ['build-and-tag.sh', 'auth']])('%s %s exits 1 naming the engine or docker', (name, first) => {
    const args = first === '--target' ? ['--target', 'compose'] : [first];
    const result = script(name, ...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the container engine is not running \('docker info' failed\); start Docker first|docker is not installed/);
  });
});
