import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds the web console (console/, Vite) into `<root>/dist/console`, which the gateway serves at
 * /console. Skipped when nothing it is made from changed since the last build, like the services'
 * bundles: `npm install` and every `lift up` call this.
 */
export async function buildConsole(root: string): Promise<{ outdir: string; rebuilt: boolean }> {
  const source = join(root, 'console');
  const outdir = join(root, 'dist', 'console');
  const stampFile = join(root, 'dist', 'console-build-stamp.json');
  const stamp = JSON.stringify({ sources: consoleSourceStamp(root) });
  if (existsSync(join(outdir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return { outdir, rebuilt: false };
  // Loaded here only: the bundler is a build tool, not something `lift` needs for its other commands.
  const { build } = await import('vite');
  await build({ configFile: join(source, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, stamp);
  return { outdir, rebuilt: true };
}

function consoleSourceStamp(root: string): string {
  let newest = 0;
  let count = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else {
        count += 1;
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  visit(join(root, 'console'));
  const lockfile = join(root, 'package-lock.json');
  if (existsSync(lockfile)) newest = Math.max(newest, statSync(lockfile).mtimeMs);
  return `${count}:${newest}`;
}
