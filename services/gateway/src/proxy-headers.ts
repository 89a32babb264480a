import type { IncomingHttpHeaders } from 'node:http';

// RFC 9110 §7.6.1: connection-specific headers describe one hop and are never forwarded.
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

// Other ways clients claim an address: only the gateway says where a request came from
// (X-Forwarded-For, from the connection), so a service or module reading these cannot be misled.
const clientAddressClaims = new Set(['forwarded', 'x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'x-cluster-client-ip', 'fastly-client-ip', 'x-original-forwarded-for']);

export interface ForwardedFor {
  readonly clientIp: string;
  readonly host: string | undefined;
  readonly protocol: string;
  readonly requestId: string;
  /** The gateway's own; undefined when OpenTelemetry's undici instrumentation adds it to the call. */
  readonly traceparent: string | undefined;
  /** Whether the client's traceparent was valid and continued: its tracestate belongs to that trace only. */
  readonly callerTraceContinued: boolean;
}

/**
 * Headers sent upstream: the client's, without hop-by-hop headers, without `host` (the pool sets
 * the upstream's) and without any `x-lift-*` header — only the gateway may assert identity.
 */
export function upstreamRequestHeaders(inbound: IncomingHttpHeaders, forwarded: ForwardedFor): Record<string, string | string[]> {
  const listedInConnection = connectionListed(inbound.connection);
  const keepsTracestate = forwarded.traceparent !== undefined && forwarded.callerTraceContinued;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(inbound)) {
    if (value === undefined) continue;
    // Many servers (CGI, WSGI, nginx's underscores_in_headers) read `x_lift_org` as `x-lift-org`:
    // names are judged with `_` read as `-`. Node has already lower-cased them.
    const canonical = name.includes('_') ? name.replaceAll('_', '-') : name;
    if (hopByHop.has(canonical) || listedInConnection.has(canonical)) continue;
    // An API key stops at the gateway: downstream sees only the access token it was exchanged for.
    // Expect: 100-continue was answered by the gateway's own server; undici refuses to send it on.
    if (canonical === 'expect') continue;
    if (canonical === 'host' || canonical === 'x-api-key' || canonical.startsWith('x-lift-') || canonical.startsWith('x-forwarded-') || clientAddressClaims.has(canonical)) continue;
    // The client's trace goes on only as the parent of the gateway's span, never as it came: the
    // gateway's traceparent (or the instrumentation's, which would otherwise make a second header).
    // A client's tracestate goes on only with the trace it describes (W3C: dropped when the
    // traceparent was invalid and a new trace started). Skipped here rather than deleted below:
    // a deleted property turns the object into a slow dictionary for undici to walk.
    if (canonical === 'traceparent' || (canonical === 'tracestate' && !keepsTracestate)) continue;
    headers[name] = value;
  }
  headers['x-forwarded-for'] = forwarded.clientIp;
  headers['x-forwarded-proto'] = forwarded.protocol;
  if (forwarded.host !== undefined) headers['x-forwarded-host'] = forwarded.host;
  headers['x-request-id'] = forwarded.requestId;
  if (forwarded.traceparent !== undefined) headers.traceparent = forwarded.traceparent;
  return headers;
}

/** Headers returned to the client: the upstream's, without hop-by-hop headers. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listedInConnection = connectionListed(upstream.connection);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || hopByHop.has(name) || listedInConnection.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}

const noneListed: ReadonlySet<string> = new Set();

function connectionListed(connection: string | string[] | undefined): ReadonlySet<string> {
  // Nearly every request: no Connection header, or just keep-alive. Nothing to allocate then.
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return noneListed;
  const value = Array.isArray(connection) ? connection.join(',') : (connection ?? '');
  return new Set(value.split(',').map((token) => token.trim().toLowerCase()).filter((token) => token !== ''));
}
