import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Server-side request forgery guard for the URLs modules give the registry (baseUrl, health
 * endpoint), which the registry and the gateway then call. Refused: non-HTTP schemes, URLs with
 * credentials, cloud metadata and link-local addresses, unspecified/multicast/broadcast addresses,
 * the platform's own services — and loopback and private ranges unless an allow-list setting
 * (MODULE_URL_ALLOWED_NETWORKS, which `lift up` sets to loopback) permits them. The check runs on
 * every resolved address at connection time too, so DNS rebinding cannot slip past it.
 */
export interface UrlPolicy {
  /** CIDRs a module may live in although they are private (e.g. 127.0.0.0/8, 10.0.0.0/8). */
  readonly allowedNetworks: BlockList;
  /** host:port pairs of the platform's own services, never a module's address. */
  readonly platformEndpoints: ReadonlySet<string>;
}

const neverAllowed = new BlockList();
for (const [network, prefix, family] of [
  ['0.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata (169.254.169.254, 169.254.170.2)
  ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud metadata
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fd00:ec2::254', 128, 'ipv6'], // AWS metadata over IPv6
  ['ff00::', 8, 'ipv6'],
] as const) {
  neverAllowed.addSubnet(network, prefix, family);
}

const privateUnlessAllowed = new BlockList();
for (const [network, prefix, family] of [
  ['127.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
] as const) {
  privateUnlessAllowed.addSubnet(network, prefix, family);
}

const metadataHosts = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

export function allowedNetworksFrom(setting: string): BlockList {
  const list = new BlockList();
  for (const entry of setting.split(',').map((value) => value.trim()).filter((value) => value !== '')) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address, Number(prefix ?? (family === 'ipv6' ? 128 : 32)), family);
  }
  return list;
}

/** Why an address may not be called, or undefined when it may. */
export function addressProblem(address: string, policy: UrlPolicy): string | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const mapped = family === 'ipv6' && /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return addressProblem(mapped[1] as string, policy);
  if (neverAllowed.check(address, family)) return `${address} is a link-local, metadata or reserved address`;
  if (privateUnlessAllowed.check(address, family) && !policy.allowedNetworks.check(address, family)) {
    return `${address} is a loopback or private address, which MODULE_URL_ALLOWED_NETWORKS does not allow`;
  }
  return undefined;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Resolves the URL's host and checks every address; the problem as a sentence, or undefined. */
export async function urlProblem(raw: string, policy: UrlPolicy, resolve: typeof lookupAll = lookupAll): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (metadataHosts.has(host)) return 'points at a cloud metadata service';
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return `names a host (${host}) that does not resolve`;
  }
  for (const address of addresses) {
    if (policy.platformEndpoints.has(`${address}:${defaultPort(url)}`) || policy.platformEndpoints.has(`${host}:${defaultPort(url)}`)) {
      return 'points at one of the platform\'s own services';
    }
    const problem = addressProblem(address, policy);
    if (problem) return `points at ${problem}`;
  }
  return undefined;
}

export function lookupAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true }, (error, addresses: LookupAddress[]) => (error ? reject(error) : resolve(addresses.map((entry) => entry.address))));
  });
}

/** The platform's own services as host:port pairs, by name and by every address they resolve to. */
export async function platformEndpoints(urls: readonly string[]): Promise<Set<string>> {
  const endpoints = new Set<string>();
  for (const raw of urls) {
    const url = new URL(raw);
    const port = defaultPort(url);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    endpoints.add(`${host}:${port}`);
    const addresses = isIP(host) ? [host] : await lookupAll(host).catch(() => []);
    for (const address of addresses) endpoints.add(`${address}:${port}`);
    // Loopback is loopback by any name.
    if (host === 'localhost' || host.startsWith('127.') || host === '::1') {
      for (const alias of ['localhost', '127.0.0.1', '::1']) endpoints.add(`${alias}:${port}`);
    }
  }
  return endpoints;
}
