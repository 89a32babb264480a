import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { InvalidInputError, kitErrorCodes, NotFoundError } from '@lift/kit';
import { gatewayErrorCodes } from './errors.js';
import { normalisePath } from './path-normalisation.js';
import type { Upstream } from './upstreams.js';

interface EdgeRequestPath {
  /** The normalised path every decision is made on. */
  readonly path: string;
  /** The query string as the client sent it (with its `?`, or empty): forwarded untouched. */
  readonly query: string;
}

/** A request for a core service: `/<service>/<servicePath>`. */
export interface ServiceTarget extends EdgeRequestPath {
  readonly kind: 'service';
  readonly upstream: Upstream;
  /** The path the service receives (the prefix stripped); `/` for the bare prefix. */
  readonly servicePath: string;
}

/** A request for a module: `/modules/<moduleId>/<modulePath>`. */
export interface ModuleTarget extends EdgeRequestPath {
  readonly kind: 'module';
  readonly moduleId: string;
  readonly modulePath: string;
}

export type EdgeTarget = ServiceTarget | ModuleTarget;

declare module 'fastify' {
  interface FastifyRequest {
    /** Where a proxied request goes, decided once from its normalised path (see edgeRouting). */
    edge: EdgeTarget | undefined;
  }
}

const modulesPrefix = '/modules/';

/** The target of a normalised path, or undefined when no service or module owns it. */
export function edgeTargetOf(path: string, query: string, upstreams: readonly Upstream[]): EdgeTarget | undefined {
  for (const upstream of upstreams) {
    if (!path.startsWith(upstream.prefix)) continue;
    if (path.length === upstream.prefix.length) return { kind: 'service', path, query, upstream, servicePath: '/' };
    if (path.charCodeAt(upstream.prefix.length) === 0x2f) return { kind: 'service', path, query, upstream, servicePath: path.slice(upstream.prefix.length) };
  }
  if (path.startsWith(modulesPrefix)) {
    const end = path.indexOf('/', modulesPrefix.length);
    const moduleId = path.slice(modulesPrefix.length, end < 0 ? undefined : end);
    if (moduleId !== '') return { kind: 'module', path, query, moduleId, modulePath: end < 0 ? '/' : path.slice(end) };
  }
  return undefined;
}

/**
 * A service's or module's own Prometheus figures (routes, error rates, process statistics) are for
 * the scrapers inside, which ask it directly; through the gateway they are a route that does not
 * exist, whoever asks (the gateway's own /metrics: see hardening.ts).
 */
function isMetricsPath(target: EdgeTarget): boolean {
  const path = target.kind === 'service' ? target.servicePath : target.modulePath;
  return path === '/metrics' || path === '/metrics/';
}

/**
 * The first thing a proxied request meets (an onRequest hook): its path is normalised once and
 * its target — a core service or a module — decided from that normalised path, whichever route
 * Fastify matched on the raw one (`/auth/%2e%2e/memory/v1/x` goes to memory, as it would behind
 * Envoy). The rate limits, the public-route check, module permissions, metering and the path
 * forwarded all read `request.edge`, never `request.url`. A path that cannot be made
 * unambiguous is refused with 400 naming why; one no service owns is a 404.
 */
export function edgeRouting(upstreams: readonly Upstream[]) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const url = request.url;
    const queryStart = url.indexOf('?');
    const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
    const normalised = normalisePath(rawPath);
    if (typeof normalised !== 'string') {
      done(new InvalidInputError(gatewayErrorCodes.ambiguousPath, normalised.detail, { extensions: { reason: normalised.reason } }));
      return;
    }
    const target = edgeTargetOf(normalised, queryStart < 0 ? '' : url.slice(queryStart), upstreams);
    if (target === undefined || isMetricsPath(target)) {
      done(new NotFoundError(kitErrorCodes.routeNotFound, `There is no route ${request.method} ${normalised}; see /docs for the platform's API.`));
      return;
    }
    request.edge = target;
    done();
  };
}

/** The target edgeRouting decided; every proxied route runs behind it. */
export function edgeTargetOfRequest(request: FastifyRequest): EdgeTarget {
  if (request.edge === undefined) throw new Error('edgeRouting did not run for this route');
  return request.edge;
}
