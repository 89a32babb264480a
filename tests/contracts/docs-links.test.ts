import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingAnchors, markdownFiles, relativeLinks } from '../support/markdown-links.js';
import { repositoryRoot } from '../support/service-process.js';

/**
 * Every relative link in every Markdown file of the repository leads to a file or folder that
 * exists, and a `#fragment` into a Markdown file to one of its headings.
 */


const files = markdownFiles(repositoryRoot);
const text = (file: string) => readFileSync(join(repositoryRoot, file), 'utf8');

/** The links of `file` (its text, or `content` in its place) that lead nowhere, each with why. */
function brokenLinks(file: string, content = text(file)): string[] {
  return relativeLinks(content).flatMap(({ target, lineNumber }) => {
    const [pathPart = '', fragment] = decodeURI(target).split('#');
    const linked = pathPart === '' ? file : normalize(join(dirname(file), pathPart));
    const where = `${file}:${lineNumber} → ${target}`;
    if (relative(repositoryRoot, join(repositoryRoot, linked)).startsWith('..')) return [`${where} (outside the repository)`];
    if (!existsSync(join(repositoryRoot, linked))) return [`${where} (no such file)`];
    if (fragment && linked.endsWith('.md') && statSync(join(repositoryRoot, linked)).isFile() && !headingAnchors(text(linked)).has(fragment)) return [`${where} (no such heading)`];
    return [];
  });
}

describe('links between the repository\'s Markdown files', () => {
  it('finds the documentation at all', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/README.md', 'docs/api/errors.md', 'monitoring/README.md', 'modules/_template/README.md']));
  });

  it('every relative link leads to a file, and every #fragment to a heading', () => {
    expect(files.flatMap((file) => brokenLinks(file))).toEqual([]);
  });

  it('would notice a link to no file, to no heading, or out of the repository', () => {
    const probe = ['[ok](api/errors.md#in-the-openapi-documents)', '[gone](api/nothing.md)', '[no heading](api/errors.md#nothing-here)', '[away](../../etc/passwd)', '`[in code](api/nothing.md)`', '[web](https://example.com/x.md)'].join('\n');
    expect(brokenLinks('docs/probe.md', probe)).toEqual([
      'docs/probe.md:2 → api/nothing.md (no such file)',
      'docs/probe.md:3 → api/errors.md#nothing-here (no such heading)',
      'docs/probe.md:4 → ../../etc/passwd (outside the repository)',
    ]);
  });
});
