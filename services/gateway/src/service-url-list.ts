import { ConfigError } from '@lift/kit';

/** More instances than this in one variable is a mistake (a pasted list), not a deployment. */
export const maxInstancesPerService = 32;

/**
 * `http://auth-1:8001,http://auth-2:8001` → each instance's origin, in the order given. Every entry
 * must be an http(s) URL of an origin (`/` as its path at most: the gateway forwards `/<service>/*`
 * to the service's root), without a user name or password (they would not be sent), and name its
 * instance once; a ConfigError names the variable and what is wrong otherwise.
 */
export function serviceOrigins(variable: string, setting: string): string[] {
  const problems: string[] = [];
  const origins: string[] = [];
  const entries = setting.split(',').map((value) => value.trim());
  if (entries.length > maxInstancesPerService) problems.push(`${variable}: lists ${entries.length} instances; at most ${maxInstancesPerService} are taken`);
  for (const entry of entries) {
    const problem = entryProblem(entry, origins);
    if (problem !== undefined) problems.push(`${variable}: ${problem}`);
    else origins.push(new URL(entry).origin);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return origins;
}

function entryProblem(entry: string, taken: readonly string[]): string | undefined {
  if (entry === '') return 'has an empty entry (a trailing or doubled comma); give one URL or a comma-separated list of them (http://auth-1:8001,http://auth-2:8001)';
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return `"${withoutCredentials(entry)}" is not an http(s) URL; give one URL or a comma-separated list of them (http://auth-1:8001,http://auth-2:8001)`;
  }
  if (url.username !== '' || url.password !== '') return `${url.origin} carries a user name or password, which the gateway would not send; services authenticate the gateway by its token`;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return `"${withoutCredentials(entry)}" has a path, query or fragment; the gateway sends /<service>/* to the service's root, so give its origin (${url.origin})`;
  if (taken.includes(url.origin)) return `lists ${url.origin} more than once; name each instance once`;
  return undefined;
}

/** An entry as a message may show it: whatever stands before an `@` (a user name and password) hidden. */
function withoutCredentials(entry: string): string {
  return entry.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1***@');
}
