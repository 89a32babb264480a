import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders that hold no documentation of ours: dependencies, build output, run data. */
const notDocumentation = new Set(['node_modules', '.git', 'dist', 'data', 'coverage']);

/** Every Markdown file under `root`, as paths relative to it, sorted. */
export function markdownFiles(root: string, folder = root): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      if (entry.isDirectory()) return notDocumentation.has(entry.name) ? [] : markdownFiles(root, join(folder, entry.name));
      return entry.name.endsWith('.md') ? [relative(root, join(folder, entry.name))] : [];
    })
    .sort();
}

export interface MarkdownLink {
  readonly target: string;
  readonly lineNumber: number;
}

/**
 * The links of a Markdown text that point into the repository: `[text](target)` and
 * `[label]: target`, outside fenced code blocks and code spans; web addresses and mail left out.
 */
export function relativeLinks(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fenced = false;
  text.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    const prose = line.replace(/`[^`]*`/g, '');
    const targets = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...prose.matchAll(/^\s*\[[^\]]+\]:\s+<?(\S+?)>?(?:\s|$)/g)].map((match) => match[1] as string);
    for (const target of targets) if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ target, lineNumber: index + 1 });
  });
  return links;
}

/** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? undefined : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    anchors.add(repeats === 0 ? slug : `${slug}-${repeats}`);
  }
  return anchors;
}
