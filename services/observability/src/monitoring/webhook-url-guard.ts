import { isIP } from 'node:net';
import { refusedAddress, systemResolver, type AddressPolicy, type HostResolver } from '@lift/kit';

const metadataHosts = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

/**
 * Why observability may not post alerts to `raw`, as a phrase, or undefined. The same policy runs
 * again on every connection the sender opens (DNS rebinding): this check is for a clear 400 when
 * the rule is saved. Loopback and private networks only where ALERT_WEBHOOK_ALLOWED_NETWORKS says.
 */
export async function webhookUrlProblem(raw: string, policy: AddressPolicy, resolve: HostResolver = systemResolver): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (metadataHosts.has(host.replace(/\.$/, ''))) return 'points at a cloud metadata service';
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await resolve(host)).map((entry) => entry.address);
  } catch {
    return `names a host (${host}) that does not resolve`;
  }
  for (const address of addresses) {
    const refused = refusedAddress(address, policy);
    if (refused) return `points at ${refused}`;
  }
  return undefined;
}
