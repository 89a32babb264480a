import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { composeProject, hasDockerCompose } from './compose-project.js';
import { composeFiles, productionAddOns, standaloneComposeFiles } from './seed-services.js';

// docker-compose 1.29 validates a file with no Docker engine (`config -q`, exit 1 on a bad file);
// keeping to what it accepts keeps to the subset Compose v2 accepts as well.
const skip = skipUnless(hasDockerCompose(), 'compose files validated by docker-compose config', 'docker-compose (Debian package docker-compose)');

describe.skipIf(skip)('the compose files, validated by docker-compose', () => {
  const project = composeProject();
  afterAll(() => project.remove());

  it.each(standaloneComposeFiles)('%s is valid on its own', (file) => {
    const result = project.compose([file], ['config', '-q']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(productionAddOns)('%s is valid with docker-compose.prod.yml, as it is started', (file) => {
    const result = project.compose(['docker-compose.prod.yml', file], ['config', '-q']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('starts production with both stacks at once', () => {
    const result = project.compose(['docker-compose.prod.yml', ...productionAddOns], ['config', '-q']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('refuses to start production without the settings it cannot guess', () => {
    const bare = composeProject({ withEnv: false });
    try {
      const result = bare.compose(['docker-compose.prod.yml'], ['config', '-q']);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/PUBLIC_URL|CORS_ORIGINS|LIFT_ADMIN_EMAIL/);
    } finally {
      bare.remove();
    }
  });
});

describe('the compose files keep to what docker-compose 1.29 and Compose v2 both accept', () => {
  it.each(composeFiles)('%s has no top-level name or include, no develop, no depends_on restart', (file) => {
    const document = parse(readFileSync(join(repositoryRoot, file), 'utf8')) as Record<string, unknown> & { services: Record<string, Record<string, unknown>> };
    expect(Object.keys(document).filter((key) => key === 'name' || key === 'include' || key === 'version')).toEqual([]);
    for (const [name, service] of Object.entries(document.services)) {
      expect(service.develop, `${file}: ${name}`).toBeUndefined();
      const dependsOn = (service.depends_on ?? {}) as Record<string, Record<string, unknown>>;
      for (const [dependency, condition] of Object.entries(dependsOn)) expect(condition.restart, `${file}: ${name} → ${dependency}`).toBeUndefined();
    }
  });
});
