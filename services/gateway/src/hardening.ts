import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInputError } from '@lift/kit';

export interface HardeningOptions {
  /** Host names the gateway answers for (ALLOWED_HOSTS); empty = any. */
  readonly allowedHosts: readonly string[];
  /** Redirect plain-HTTP requests to HTTPS (FORCE_HTTPS), as seen through X-Forwarded-Proto from trusted proxies. */
  readonly forceHttps: boolean;
}

/** Headers every answer carries: no sniffing, no framing, no referrer leaks, HSTS behind HTTPS. */
const securityHeaders: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The seed's TrustedHostMiddleware and HTTPSRedirectMiddleware, done at the edge: a request for
 * an unknown Host is a 400 (it would otherwise let anyone point a domain at the platform and have
 * links and redirects built for it); with FORCE_HTTPS a plain-HTTP request is redirected (308, so
 * the method and body survive) — probes excepted, since orchestrators call them over plain HTTP.
 */
export function installHardening(app: FastifyInstance, options: HardeningOptions): void {
  const allowed = options.allowedHosts.map((host) => host.toLowerCase());
  const hostAllowed = (host: string) => allowed.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern));
  const hostOf = (request: FastifyRequest) => (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  // Callback style, and nothing computed that is not needed: this runs on every request.
  app.addHook('onRequest', (request, reply, done) => {
    if (allowed.length > 0) {
      const host = hostOf(request);
      if (!hostAllowed(host)) return done(new InvalidInputError('GATEWAY_HOST_NOT_ALLOWED', `The host "${host}" is not served here.`, { field: 'headers.host' }));
    }
    const https = request.protocol === 'https';
    if (options.forceHttps && !https && request.url !== '/health' && request.url !== '/ready' && request.url !== '/metrics') {
      // Answered here (Fastify's way for callback hooks: send, and do not call done).
      reply.code(308).header('location', `https://${request.headers.host ?? hostOf(request)}${request.url}`).send();
      return;
    }
    reply.headers(securityHeaders);
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    done();
  });
}
