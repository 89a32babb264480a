import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DependencyUnavailableError, NotFoundError } from '@lift/kit';
import type { ConsoleFile } from './console-files.js';
import { gatewayErrorCodes } from './errors.js';

/**
 * The console's policy: scripts, styles, fonts and API calls from this origin only — no inline
 * script or style, no eval, no plugins, no framing, no base or form tricks. The built console has
 * no inline code; this makes an injected script tag inert.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A route of the app itself (/console/memory), as opposed to a file (/console/assets/x.js). */
const isAppRoute = (path: string) => !/\.[A-Za-z0-9]+$/.test(path);

/**
 * `/console` and everything under it: the built files, and index.html for the app's own routes
 * (the app reads the path). Public: the console signs people in itself, through /auth.
 */
export async function consoleRoute(app: FastifyInstance, files: ReadonlyMap<string, ConsoleFile> | undefined): Promise<void> {
  const answer = (request: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply) => {
    if (!files) {
      throw new DependencyUnavailableError(gatewayErrorCodes.consoleNotBuilt, 'The console is not built here. Build it with `npm install` or `npm run lift -- build` (it lands in dist/console), or set CONSOLE_DIR.');
    }
    const path = request.params['*'] ?? '';
    const file = files.get(path) ?? (isAppRoute(path) ? files.get('index.html') : undefined);
    if (!file) throw new NotFoundError(gatewayErrorCodes.consoleFileNotFound, `The console has no file ${JSON.stringify(path)}.`);
    return send(request, reply, file);
  };
  // /console itself: the app's links and its base are under /console/ (the query goes along).
  app.get('/console', { schema: { hide: true } }, (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.code(308).header('location', `/console/${query === -1 ? '' : request.url.slice(query)}`).send();
  });
  app.get('/console/*', { schema: { hide: true } }, answer);
}

function send(request: FastifyRequest, reply: FastifyReply, file: ConsoleFile): FastifyReply {
  const gzipped = file.gzipped !== undefined && acceptsGzip(request.headers['accept-encoding']);
  // Each encoding is its own representation (RFC 9110 §8.8.3): a strong tag names one of them.
  const etag = gzipped ? `${file.etag.slice(0, -1)}-gzip"` : file.etag;
  reply
    .header('content-security-policy', consoleContentSecurityPolicy)
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('etag', etag)
    .header('vary', 'accept-encoding')
    .type(file.contentType);
  if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
  if (gzipped) reply.header('content-encoding', 'gzip');
  return reply.send(gzipped ? file.gzipped : file.body);
}

/** Whether Accept-Encoding admits gzip: named (or `*`) with a weight above zero (RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let wildcard = false;
  for (const entry of header.split(',')) {
    const [coding = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const weight = parameters.find((parameter) => parameter.startsWith('q='));
    const admitted = weight === undefined || Number(weight.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return admitted;
    if (coding === '*') wildcard = admitted;
  }
  return wildcard;
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === etag || tag === '*';
  });
}
