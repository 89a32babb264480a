import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceStamp } from './source-stamp.js';

/**
 * Builds the web console (console/, Vite) into `<root>/dist/console`, which the gateway serves at
 * /console. Skipped when nothing it is made from changed since the last build, like the services'
 * bundles: `npm install` and every `lift up` call this.
 */
export async function buildConsole(root: string): Promise<{ outdir: string; rebuilt: boolean }> {
  const source = join(root, 'console');
  const outdir = join(root, 'dist', 'console');
  const stampFile = join(root, 'dist', 'console-build-stamp.json');
  const stamp = JSON.stringify({ sources: sourceStamp(root, { directories: ['console'], files: ['package-lock.json'] }) });
  if (existsSync(join(outdir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return { outdir, rebuilt: false };
  // Loaded here only: the bundler is a build tool, not something `lift` needs for its other commands.
  const { build } = await import('vite');
  await build({ configFile: join(source, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, stamp);
  return { outdir, rebuilt: true };
}
