import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the codes a service can answer are written: the kit, the SDK and every service. */
const sourceRoots = ['packages/kit/src', 'packages/sdk/src', ...['auth', 'billing', 'gateway', 'memory', 'observability', 'registry'].map((name) => `services/${name}/src`)];

const code = "'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'";
/** `new NotFoundError('X', …)`, `new LiftError(429, 'X', …)`: the error factories. */
const thrown = new RegExp(`new \\w*Error\\(\\s*(?:\\d+,\\s*)?${code}`, 'g');
/** `{ status, code: 'X', … }`: problems sent without an error object. */
const sent = new RegExp(`\\bcode: ${code}`, 'g');
/** `export const fooErrorCodes = { … }`: each package's table of stable codes. */
const table = /ErrorCodes = \{([^}]*)\}/g;
const tableValue = new RegExp(code, 'g');

/** Every problem code in the source, with the files it appears in. */
export function problemCodesInSource(repositoryRoot: string): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  const note = (found: string | undefined, file: string) => {
    if (found !== undefined) codes.set(found, [...new Set([...(codes.get(found) ?? []), file])]);
  };
  for (const root of sourceRoots) {
    for (const file of typeScriptFiles(join(repositoryRoot, root))) {
      const text = readFileSync(file, 'utf8');
      const relative = file.slice(repositoryRoot.length);
      for (const match of text.matchAll(thrown)) note(match[1], relative);
      for (const match of text.matchAll(sent)) note(match[1], relative);
      for (const block of text.matchAll(table)) for (const match of (block[1] ?? '').matchAll(tableValue)) note(match[1], relative);
    }
  }
  return codes;
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
