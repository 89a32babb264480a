import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { seedServices } from './seed-services.js';

/** Every Dockerfile of the repository (a new one is linted without being listed). */
function findDockerfiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', '.git', 'dist', 'data', 'coverage'].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findDockerfiles(path);
    return entry.name === 'Dockerfile' || entry.name.endsWith('.Dockerfile') ? [relative(repositoryRoot, path)] : [];
  });
}

const dockerfiles = findDockerfiles(repositoryRoot);
const linter = join(repositoryRoot, 'node_modules/.bin/dockerfilelint');
const skipLint = skipUnless(existsSync(linter), 'the Dockerfiles linted by dockerfilelint', 'dockerfilelint (npm install)');

interface LintIssue {
  readonly line: string;
  readonly content: string;
  readonly title: string;
}

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ').split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  return joined.map((line) => {
    const [keyword = '', ...rest] = line.trim().split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

/** The build stages, by name, each with its instructions (FROM included). */
function stages(text: string): Map<string, Instruction[]> {
  const byName = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      current = [instruction];
      byName.set(/\bAS\s+(\S+)$/i.exec(instruction.args)?.[1] ?? `(unnamed ${byName.size})`, current);
    } else current.push(instruction);
  }
  return byName;
}

/**
 * dockerfilelint's false alarms, and only those: it takes `FROM <earlier stage> AS x` for an image
 * without a tag, and its HEALTHCHECK option pattern (`--\w+`) cuts `--start-period` to `--start`.
 */
function isFalseAlarm(issue: LintIssue, stageNames: ReadonlySet<string>): boolean {
  if (issue.title === 'Base Image Missing Tag') {
    const base = /^FROM\s+(\S+)/i.exec(issue.content.trim())?.[1] ?? '';
    return stageNames.has(base);
  }
  if (issue.title === 'Invalid Argument Format' && /^HEALTHCHECK\b/i.test(issue.content.trim())) {
    const options = issue.content.match(/--[a-z-]+(=\S*)?/g) ?? [];
    return options.length > 0 && options.every((option) => /^--(interval|timeout|start-period|start-interval|retries)=\d+[a-z]*$/.test(option));
  }
  return false;
}

describe.skipIf(skipLint)('dockerfilelint', () => {
  it('finds the images\' Dockerfiles', () => {
    expect(dockerfiles).toEqual(expect.arrayContaining(['Dockerfile', 'modules/_template/Dockerfile', 'tests/Dockerfile']));
  });

  it.each(dockerfiles)('finds nothing wrong in %s', (file) => {
    const result = spawnSync(linter, ['-o', 'json', file], { cwd: repositoryRoot, encoding: 'utf8' });
    const report = JSON.parse(result.stdout) as { files: { issues: LintIssue[] }[] };
    const text = readFileSync(join(repositoryRoot, file), 'utf8');
    const stageNames = new Set(stages(text).keys());
    const issues = (report.files[0]?.issues ?? []).filter((issue) => !isFalseAlarm(issue, stageNames));
    expect(issues.map((issue) => `${file}:${issue.line}: ${issue.title}: ${issue.content}`)).toEqual([]);
  });
});

describe('the images', () => {
  const root = stages(readFileSync(join(repositoryRoot, 'Dockerfile'), 'utf8'));
  const shared = root.get('service-runtime') ?? [];

  it.each(seedServices)('$name: a target that sets its seed PORT, exposes it and runs its bundle in exec form', ({ name, port }) => {
    const target = root.get(name);
    expect(target, `no build target ${name}`).toBeDefined();
    expect(target?.[0]?.args).toMatch(/^service-runtime AS/i);
    const env = (target ?? []).filter((instruction) => instruction.keyword === 'ENV').map((instruction) => instruction.args).join(' ');
    expect(env).toMatch(new RegExp(`\\bPORT=${port}\\b`));
    const exposed = (target ?? []).filter((instruction) => instruction.keyword === 'EXPOSE').flatMap((instruction) => instruction.args.split(/\s+/));
    expect(exposed).toContain(String(port));
    const cmd = (target ?? []).find((instruction) => instruction.keyword === 'CMD');
    expect(JSON.parse(cmd?.args ?? 'null')).toEqual(['node', `dist/services/${name}/main.js`]);
    const title = (target ?? []).filter((instruction) => instruction.keyword === 'LABEL').map((instruction) => instruction.args).join(' ');
    expect(title).toContain(`org.opencontainers.image.title="lift/${name}"`);
  });

  it.each([
    ['Dockerfile', 'service-runtime'],
    ['modules/_template/Dockerfile', '(unnamed 1)'],
  ])('%s: not root, probes /health of its own PORT with node, carries OCI labels from VERSION and GIT_REVISION', (file, stageName) => {
    const stage = stages(readFileSync(join(repositoryRoot, file), 'utf8')).get(stageName) ?? [];
    expect(stage.find((instruction) => instruction.keyword === 'USER')?.args).toBe('node');
    const healthcheck = stage.find((instruction) => instruction.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toMatch(/CMD \["node", "-e", ".*'http:\/\/127\.0\.0\.1:' \+ process\.env\.PORT \+ '\/health'/);
    const labels = stage.filter((instruction) => instruction.keyword === 'LABEL').map((instruction) => instruction.args).join(' ');
    for (const label of ['version="${VERSION}"', 'revision="${GIT_REVISION}"', 'source="${SOURCE_URL}"', 'licenses=']) expect(labels).toContain(`org.opencontainers.image.${label}`);
    const args = stage.filter((instruction) => instruction.keyword === 'ARG').map((instruction) => instruction.args.split('=')[0]);
    expect(args).toEqual(expect.arrayContaining(['VERSION', 'GIT_REVISION', 'SOURCE_URL']));
  });

  it('carries the built console in the gateway image only, where CONSOLE_DIR\'s default finds it', () => {
    const copies = (name: string) => (root.get(name) ?? []).filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args);
    expect(copies('gateway')).toContain('--from=build /app/dist/console ./dist/console');
    for (const { name } of seedServices.filter((service) => service.name !== 'gateway')) expect(copies(name).join(' ')).not.toContain('dist/console');
    // Built with the services' bundles, from the console's sources and its workspace manifest.
    expect(copies('build')).toContain('console console');
    expect(copies('dependencies')).toContain('console/package.json console/');
  });

  it('installs only production dependencies into the images, and no compiler', () => {
    const modules = (root.get('production-modules') ?? []).map((instruction) => instruction.args).join(' ');
    expect(modules).toMatch(/npm ci --omit=dev/);
    for (const instruction of shared) expect(`${instruction.keyword} ${instruction.args}`).not.toMatch(/apt-get|g\+\+|npm (ci|install)/);
    expect(shared[0]?.args).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim AS service-runtime$/);
  });
});

describe('.dockerignore', () => {
  const patterns = readFileSync(join(repositoryRoot, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));

  it('keeps secrets, local data, installed and built files and history out of every build context', () => {
    expect(patterns).toEqual(expect.arrayContaining(['**/.env', '**/.env.*', 'secrets', '**/*.pem', '**/*.key', 'data', '**/node_modules', '**/dist', '.git']));
  });

  it('lets .env.example in (documentation), after the rule that would keep it out', () => {
    expect(patterns.indexOf('!.env.example')).toBeGreaterThan(patterns.indexOf('**/.env.*'));
  });
});
