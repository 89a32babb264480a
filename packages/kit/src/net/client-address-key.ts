import { isIPv6 } from 'node:net';

/**
 * The client a limit counts by (auth's lockout, the gateway's rate limits). IPv4 addresses as they
 * are (an IPv4-mapped IPv6 address is its IPv4 address); IPv6 addresses by their /64 network, since
 * one subscriber is usually given a whole /64 and could otherwise take a fresh address — and a
 * fresh count — for every request.
 */
export function clientAddressKey(ip: string): string {
  // Nearly every request: plain IPv4, nothing to allocate.
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  const address = ip.split('%')[0] as string;
  if (!isIPv6(address)) return ip;
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])));
  const [head = '', tail] = address.split('::');
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${all.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}
