import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemCodesInSource } from '../support/problem-codes.js';
import { repositoryRoot } from '../support/service-process.js';

/**
 * docs/api/errors.md is where clients look codes up: every code the kit, the SDK or a service can
 * answer (or logs for an operator) must be there, and nothing the source no longer has.
 */
const page = readFileSync(join(repositoryRoot, 'docs/api/errors.md'), 'utf8');
const documented = new Set([...page.matchAll(/`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`/g)].map((match) => match[1] as string));
const inSource = problemCodesInSource(repositoryRoot);
const configurationVariables = new Set(
  readFileSync(join(repositoryRoot, '.env.example'), 'utf8')
    .split('\n')
    .flatMap((line) => /^#?\s?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []),
);

describe('docs/api/errors.md', () => {
  it('finds the codes in the source at all (the error factories, problems sent directly, the code tables)', () => {
    expect(inSource.size).toBeGreaterThan(70);
    expect(inSource.get('GATEWAY_RATE_LIMITED')).toEqual(['services/gateway/src/edge-guard.ts']);
  });

  it('lists every code the source can answer', () => {
    const missing = [...inSource].filter(([code]) => !documented.has(code)).map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('lists no code the source no longer has', () => {
    // The page names configuration variables too (BODY_LIMIT_BYTES, …): those are .env.example's.
    const stale = [...documented].filter((code) => !inSource.has(code) && !configurationVariables.has(code));
    expect(stale).toEqual([]);
  });
});
