import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a build is made from, in one string: the number of its source files and the newest
 * modification time among them and the named files. A build whose stamp is unchanged is skipped.
 * Dependencies, tests and dot-files are not sources.
 */
export function sourceStamp(root: string, sources: { readonly directories: readonly string[]; readonly files: readonly string[] }): string {
  let newest = 0;
  let count = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'test' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else {
        count += 1;
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const dir of sources.directories) if (existsSync(join(root, dir))) visit(join(root, dir));
  for (const file of sources.files) if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return `${count}:${newest}`;
}
