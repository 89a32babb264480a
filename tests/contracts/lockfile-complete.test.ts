import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';

interface LockedPackage {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(repositoryRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };

/** Where Node would find `name` from the package at `path`: its own node_modules, then each parent's. */
function resolvable(path: string, name: string): boolean {
  let base = path;
  for (;;) {
    if (lock.packages[`${base === '' ? '' : `${base}/`}node_modules/${name}`] !== undefined) return true;
    if (base === '') return false;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

// Regression (#20): vite 8.4 names an optional dependency that is not on the registry; `npm install`
// shrugged and left it out of the lockfile, and then `npm ci` — CI's install — refused the
// lockfile outright ("Missing: napi-windows-process-start-time from lock file").
describe('package-lock.json', () => {
  it('holds every dependency and optional dependency of every package it locks, as npm ci demands', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
        if (!resolvable(path, name)) missing.push(`${path || '(root)'} → ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
