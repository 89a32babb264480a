import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file of the built console, read once at start: requests never touch the file system. */
export interface ConsoleFile {
  readonly body: Buffer;
  /** The gzip form, kept only when it is smaller. */
  readonly gzipped: Buffer | undefined;
  readonly contentType: string;
  readonly etag: string;
  /** Vite names assets by their content hash: they never change, so browsers keep them a year. */
  readonly immutable: boolean;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const compressible = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt']);

/**
 * The console's files by their path under /console/ ("index.html", "assets/index-abc.js"), or
 * undefined when the directory holds no built console. Source maps stay out: the console is
 * open source, but its maps are of no use to its users and enlarge what the gateway holds.
 */
export function loadConsoleFiles(directory: string): ReadonlyMap<string, ConsoleFile> | undefined {
  if (!existsSync(join(directory, 'index.html'))) return undefined;
  const files = new Map<string, ConsoleFile>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && statSync(path).size > 0 && extname(entry.name) !== '.map') {
        const key = relative(directory, path).split(sep).join('/');
        files.set(key, consoleFile(key, readFileSync(path)));
      }
    }
  };
  visit(directory);
  return files;
}

function consoleFile(key: string, body: Buffer): ConsoleFile {
  const extension = extname(key).toLowerCase();
  const gzipped = compressible.has(extension) ? gzipSync(body, { level: 9 }) : undefined;
  return {
    body,
    gzipped: gzipped && gzipped.length < body.length ? gzipped : undefined,
    contentType: contentTypes[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    immutable: key.startsWith('assets/'),
  };
}
