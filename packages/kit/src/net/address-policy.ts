import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../config/load-config.js';

/**
 * Which addresses the platform may open a connection to on someone else's say-so — a module's
 * baseUrl or health endpoint, which the registry checks and the gateway forwards to. Never: the
 * unspecified, link-local (cloud metadata), multicast, documentation and other reserved ranges.
 * Loopback and private ranges only when the operator lists them (MODULE_URL_ALLOWED_NETWORKS;
 * `lift up` lists 127.0.0.0/8). An IPv6 address that carries an IPv4 address (mapped, translated,
 * IPv4-compatible, NAT64, 6to4, Teredo) is judged as the IPv4 address it carries, so
 * `::ffff:127.0.0.1`, `::a9fe:a9fe` or `2002:7f00:1::` are what they reach.
 */
export interface AddressPolicy {
  /** Private ranges modules may live in although they are not public. */
  readonly allowedNetworks: BlockList;
  /** The setting that lists them, named in refusals so an operator knows what to change. */
  readonly setting: string;
}

type Range = readonly [network: string, prefix: number];

const neverAllowedIpv4: readonly Range[] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host
  ['169.254.0.0', 16], // link-local: cloud metadata (169.254.169.254, 169.254.170.2)
  ['100.100.100.200', 32], // Alibaba Cloud metadata, inside the shared range below
  ['168.63.129.16', 32], // Azure's host endpoint (wireserver): VM agent, health probes, DNS; public space, reachable from every Azure VM
  ['192.0.0.0', 24], // IETF protocol assignments (NAT64 discovery 192.0.0.170/171 …)
  ['192.0.2.0', 24], // documentation
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['198.18.0.0', 15], // benchmarking
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const privateIpv4: readonly Range[] = [
  ['127.0.0.0', 8], // loopback
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT, shared address space
];

const neverAllowedIpv6: readonly Range[] = [
  ['::', 128], // unspecified
  ['100::', 64], // discard-only
  ['64:ff9b:1::', 48], // local-use NAT64: where it carries IPv4 depends on the site's prefix
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['2001:10::', 28], // ORCHID
  ['2001:20::', 28], // ORCHIDv2
  ['fd00:ec2::254', 128], // AWS metadata over IPv6, inside the unique-local range below
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];

const privateIpv6: readonly Range[] = [
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fec0::', 10], // site-local (deprecated, still private)
];

function blockList(ranges: readonly Range[], family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, family);
  return list;
}

const never = { ipv4: blockList(neverAllowedIpv4, 'ipv4'), ipv6: blockList(neverAllowedIpv6, 'ipv6') };
const privateRanges = { ipv4: blockList(privateIpv4, 'ipv4'), ipv6: blockList(privateIpv6, 'ipv6') };

/**
 * The policy from a comma-separated list of CIDRs (or single addresses); a ConfigError naming the
 * setting for an entry that is not one.
 */
export function addressPolicyFrom(allowedNetworks: string, setting = 'MODULE_URL_ALLOWED_NETWORKS'): AddressPolicy {
  const list = new BlockList();
  const problems: string[] = [];
  for (const entry of allowedNetworks.split(',').map((value) => value.trim()).filter((value) => value !== '')) {
    const [address = '', prefixText, ...rest] = entry.split('/');
    const version = isIP(address);
    const maxPrefix = version === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (version === 0 || rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || prefixText === '') {
      problems.push(`${setting}: "${entry}" is not an address or CIDR (e.g. 10.0.0.0/8, fd00::/8)`);
      continue;
    }
    list.addSubnet(address, prefix, version === 6 ? 'ipv6' : 'ipv4');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { allowedNetworks: list, setting };
}

/** Why a connection to `address` is refused, as a clause (`127.0.0.1 is a loopback …`), or undefined. */
export function addressProblem(address: string, policy: AddressPolicy): string | undefined {
  const verdict = refusalOf(address, policy);
  if (verdict === undefined) return undefined;
  return verdict.carried ? `${verdict.ip} carries the IPv4 address ${verdict.carried}, ${verdict.reason}` : `${verdict.ip} is ${verdict.reason}`;
}

/**
 * The same verdict as `addressProblem`, as the object of "points at" (`127.0.0.1, a loopback …`),
 * for a URL guard's refusal; or undefined.
 */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  const verdict = refusalOf(address, policy);
  if (verdict === undefined) return undefined;
  return verdict.carried ? `${verdict.ip}, which carries the IPv4 address ${verdict.carried}, ${verdict.reason}` : `${verdict.ip}, ${verdict.reason}`;
}

function refusalOf(address: string, policy: AddressPolicy): { ip: string; carried?: string; reason: string } | undefined {
  const ip = canonicalAddress(address);
  if (ip === undefined) return { ip: address, reason: 'not an IP address' };
  if (isIP(ip) === 4) {
    const reason = ipv4Reason(ip, policy);
    return reason ? { ip, reason } : undefined;
  }
  for (const carried of carriedIpv4(ip)) {
    const reason = ipv4Reason(carried, policy);
    if (reason) return { ip, carried, reason };
  }
  if (never.ipv6.check(ip, 'ipv6')) return { ip, reason: neverReason };
  if (privateRanges.ipv6.check(ip, 'ipv6') && !policy.allowedNetworks.check(ip, 'ipv6')) return { ip, reason: privateReason(policy) };
  return undefined;
}

/**
 * Every address a connection to `address` can reach, in canonical spelling: the address itself and
 * any IPv4 address it carries (`::ffff:7f00:1` → also `127.0.0.1`). For comparing with a list of
 * addresses, such as the platform's own services. Empty when it is no IP address.
 */
export function reachedAddresses(address: string): string[] {
  const ip = canonicalAddress(address);
  if (ip === undefined) return [];
  return isIP(ip) === 4 ? [ip] : [ip, ...carriedIpv4(ip)];
}

/** For a URL's host or a connection's target: the problem when it is an IP literal, undefined for a name. */
export function literalHostProblem(host: string, policy: AddressPolicy): string | undefined {
  const bare = host.replace(/^\[|\]$/g, '');
  return isIP(bare.replace(/%.*$/, '')) === 0 ? undefined : addressProblem(bare, policy);
}

const neverReason = 'a link-local, metadata or reserved address';

/** Why an IPv4 address is refused, as a noun phrase, or undefined. */
function ipv4Reason(ip: string, policy: AddressPolicy): string | undefined {
  if (never.ipv4.check(ip, 'ipv4')) return neverReason;
  if (privateRanges.ipv4.check(ip, 'ipv4') && !policy.allowedNetworks.check(ip, 'ipv4')) return privateReason(policy);
  return undefined;
}

// The one refusal listing a network would lift, so the one that names the setting.
function privateReason(policy: AddressPolicy): string {
  return `a loopback or private address, which ${policy.setting} does not list`;
}

/**
 * The address in one canonical spelling: IPv4 dotted decimal (also from the forms C's inet_aton
 * and URL parsers accept: `127.1`, `0x7f.1`, `2130706433`, `0177.0.0.1`), IPv6 compressed
 * lower-case hex without brackets or zone. Undefined when it is no IP address at all.
 */
function canonicalAddress(address: string): string | undefined {
  const bare = address.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  if (isIP(bare) === 4) return bare;
  if (!/^[0-9a-fx.]+$/i.test(bare)) return undefined;
  try {
    // The WHATWG URL parser turns every IPv4 number form into dotted decimal.
    const hostname = new URL(`http://${bare}/`).hostname;
    return isIP(hostname) === 4 ? hostname : undefined;
  } catch {
    return undefined;
  }
}

/** The eight 16-bit groups of a canonical (compressed, hex-only) IPv6 address. */
function groupsOf(ip: string): number[] {
  const [head = '', tail] = ip.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

function ipv4From(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The IPv4 addresses an IPv6 address carries, where a translator or the host stack would go. */
function carriedIpv4(ip: string): string[] {
  const g = groupsOf(ip);
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  const last = ipv4From(g[6] as number, g[7] as number);
  if (zeros(0, 5) && g[5] === 0xffff) return [last]; // ::ffff:a.b.c.d, IPv4-mapped
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return [last]; // ::ffff:0:a.b.c.d, IPv4-translated
  if (zeros(0, 6) && (g[6] !== 0 || (g[7] as number) > 1)) return [last]; // ::a.b.c.d, IPv4-compatible (not :: or ::1)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return [last]; // 64:ff9b::/96, NAT64
  if (g[0] === 0x2002) return [ipv4From(g[1] as number, g[2] as number)]; // 2002::/16, 6to4
  if (g[0] === 0x2001 && g[1] === 0) {
    // Teredo: the server in bits 32–63, the client (bits inverted) in the last 32.
    return [ipv4From(g[2] as number, g[3] as number), ipv4From((g[6] as number) ^ 0xffff, (g[7] as number) ^ 0xffff)];
  }
  return [];
}
