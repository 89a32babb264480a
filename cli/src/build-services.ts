import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles each service into one ES module under `<root>/dist/services/<name>/main.js`, shared
 * code in common chunks. A bundled service starts in about a third of the time and memory that
 * loading hundreds of TypeScript files through tsx takes, and the Dockerfiles run the same output.
 * Left outside the bundle: native addons, packages that read their own files at run time, and
 * the AWS SDK (loaded only for aws-sm: secret references).
 */
export async function buildServices(root: string, services: readonly string[]): Promise<string> {
  const outdir = join(root, 'dist', 'services');
  await build({
    entryPoints: services.map((name) => ({ in: join(root, 'services', name, 'src', 'main.ts'), out: `${name}/main` })),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    external: ['better-sqlite3', 'pg-native', '@aws-sdk/*', '@fastify/swagger-ui'],
    // Bundled CommonJS dependencies still call require(); give ES modules one.
    banner: { js: "import { createRequire as __liftCreateRequire } from 'node:module'; const require = __liftCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outdir;
}

export function serviceEntry(outdir: string, name: string): string {
  return join(outdir, name, 'main.js');
}
