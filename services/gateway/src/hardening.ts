import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInputError, matchedRoute } from '@lift/kit';

export interface HardeningOptions {
  /** Host names the gateway answers for (ALLOWED_HOSTS); empty = any. */
  readonly allowedHosts: readonly string[];
  /**
   * Names the platform's own processes use for the gateway (INTERNAL_HOSTS: auth's revocation
   * fallback, modules beside it), served too when allowedHosts restricts: a public Host check
   * must not cut the platform off from itself.
   */
  readonly internalHosts?: readonly string[];
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

/** Whether a proxy relayed the request: it names the client in one of the headers proxies add. */
function isRelayed(request: FastifyRequest): boolean {
  const { headers } = request;
  return headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined;
}

/** A comma-separated setting as a list of host names. */
export function hostList(setting: string): string[] {
  return setting.split(',').map((host) => host.trim()).filter((host) => host !== '');
}

/**
 * The seed's TrustedHostMiddleware and HTTPSRedirectMiddleware, done at the edge: a request for
 * an unknown Host is a 400 (it would otherwise let anyone point a domain at the platform and have
 * links and redirects built for it) — the gateway's own probes and its internal names excepted;
 * with FORCE_HTTPS a plain-HTTP request is redirected (308, so the method and body survive) —
 * probes excepted, since orchestrators call them over plain HTTP; /metrics is not served through
 * a proxy.
 */
export function installHardening(app: FastifyInstance, options: HardeningOptions): void {
  const allowed = options.allowedHosts.length === 0 ? [] : [...options.allowedHosts, ...(options.internalHosts ?? [])].map((host) => host.toLowerCase());
  const hostAllowed = (host: string) => allowed.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern));
  const hostOf = (request: FastifyRequest) => (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  // The gateway's own probes answer whatever the Host: a container healthcheck asks
  // 127.0.0.1:8000, a kubelet the pod's address, observability the service name — none of them a
  // public host name, and none of the answers builds a link from the Host.
  const isProbe = (url: string) => url === '/health' || url === '/ready' || url === '/metrics';
  // Callback style, and nothing computed that is not needed: this runs on every request.
  app.addHook('onRequest', (request, reply, done) => {
    // The gateway's metrics are for the scrapers inside (Prometheus, observability), which ask it
    // directly. A request a proxy relayed (X-Forwarded-For, Forwarded or X-Real-IP: nginx, a
    // Kubernetes Ingress, a cloud load balancer) came from outside, and gets the 404 any unknown
    // path gets; by the matched route, so a query string or an encoded path does not slip past.
    if (matchedRoute(request).url === '/metrics' && isRelayed(request)) return reply.callNotFound();
    if (allowed.length > 0 && !isProbe(request.url)) {
      const host = hostOf(request);
      if (!hostAllowed(host)) return done(new InvalidInputError('GATEWAY_HOST_NOT_ALLOWED', `The host "${host}" is not served here.`, { field: 'headers.host' }));
    }
    const https = request.protocol === 'https';
    if (options.forceHttps && !https && !isProbe(request.url)) {
      // Answered here (Fastify's way for callback hooks: send, and do not call done).
      reply.code(308).header('location', `https://${request.headers.host ?? hostOf(request)}${request.url}`).send();
      return;
    }
    reply.headers(securityHeaders);
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    done();
  });
}
