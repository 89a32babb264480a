import { isIP } from 'node:net';
import { reachedAddresses, refusedAddress, systemResolver, type AddressPolicy, type HostResolver } from '@lift/kit';

/**
 * Server-side request forgery guard for the URLs modules give the registry (baseUrl, health
 * endpoint), which the registry and the gateway then call. Refused: non-HTTP schemes, URLs with
 * credentials, cloud metadata host names, the platform's own services, and every address the
 * kit's address policy refuses (link-local, metadata, reserved; loopback and private ranges unless
 * MODULE_URL_ALLOWED_NETWORKS allows them). The same policy runs again on every connection the
 * registry's health checker and the gateway open, so DNS rebinding cannot slip past it.
 */
export interface UrlPolicy {
  readonly addresses: AddressPolicy;
  /** host:port pairs of the platform's own services, never a module's address. */
  readonly platformEndpoints: ReadonlySet<string>;
}

const metadataHosts = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** The URL's host without IPv6 brackets, lower-case; the URL parser already wrote IPv4 numbers as dotted decimal. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Resolves the URL's host and checks every address; the problem as a sentence, or undefined. */
export async function urlProblem(raw: string, policy: UrlPolicy, resolve: HostResolver = systemResolver): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  const host = hostOf(url);
  if (metadataHosts.has(host.replace(/\.$/, ''))) return 'points at a cloud metadata service';
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await resolve(host)).map((entry) => entry.address);
  } catch {
    return `names a host (${host}) that does not resolve`;
  }
  const port = defaultPort(url);
  for (const address of addresses) {
    // By name, and by every address it reaches (::ffff:7f00:1 is 127.0.0.1).
    if ([host, ...reachedAddresses(address).map(loopbackAsOne)].some((reached) => policy.platformEndpoints.has(`${reached}:${port}`))) {
      return 'points at one of the platform\'s own services';
    }
    const refused = refusedAddress(address, policy.addresses);
    if (refused) return `points at ${refused}`;
  }
  return undefined;
}

/**
 * Every loopback address reaches the same listeners (a service bound to 0.0.0.0 or 127.0.0.1
 * answers on 127.0.0.2 too): they are compared as 127.0.0.1, which `platformEndpoints` adds for
 * every loopback service.
 */
function loopbackAsOne(address: string): string {
  return address.startsWith('127.') || address === '::1' ? '127.0.0.1' : address;
}

/** The platform's own services as host:port pairs, by name and by every address they resolve to. */
export async function platformEndpoints(urls: readonly string[], resolve: HostResolver = systemResolver): Promise<Set<string>> {
  const endpoints = new Set<string>();
  for (const raw of urls) {
    const url = new URL(raw);
    const port = defaultPort(url);
    const host = hostOf(url);
    endpoints.add(`${host}:${port}`);
    const addresses = isIP(host) ? [host] : await resolve(host).then((resolved) => resolved.map((entry) => entry.address), () => []);
    for (const address of addresses) endpoints.add(`${address}:${port}`);
    // Loopback is loopback by any name.
    if (host === 'localhost' || host.startsWith('127.') || host === '::1') {
      for (const alias of ['localhost', '127.0.0.1', '::1']) endpoints.add(`${alias}:${port}`);
    }
  }
  return endpoints;
}
