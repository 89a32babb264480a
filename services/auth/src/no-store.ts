import type { ServiceApp } from '@lift/kit';

/**
 * No cache — browser, proxy or CDN — may keep an answer of auth: they carry access and refresh
 * tokens, API keys shown once, and who belongs where (RFC 6749 §5.1, OWASP: `no-store`, and
 * `Pragma: no-cache` for HTTP/1.0 caches). One hook for every route, so a new token route cannot
 * forget it; a route whose answer is public and may be cached (the JWKS) sets its own header.
 */
export function answersAreNeverStored(app: ServiceApp): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (String(reply.getHeader('cache-control')).includes('no-store') && !reply.hasHeader('pragma')) reply.header('pragma', 'no-cache');
    done(null, payload);
  });
}
