import { ConfigError } from '@lift/kit';

/**
 * `http://auth-1:8001,http://auth-2:8001` → each instance's origin, in the order given. Every entry
 * must be an http(s) URL and name its instance once; a ConfigError names the variable otherwise.
 * Only the origin is used: the gateway forwards `/<service>/*` to the service's root.
 */
export function serviceOrigins(variable: string, setting: string): string[] {
  const problems: string[] = [];
  const origins: string[] = [];
  for (const entry of setting.split(',').map((value) => value.trim())) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
      problems.push(`${variable}: "${entry}" is not an http(s) URL; give one URL or a comma-separated list of them (http://auth-1:8001,http://auth-2:8001)`);
      continue;
    }
    if (origins.includes(url.origin)) {
      problems.push(`${variable}: lists ${url.origin} more than once; name each instance once`);
      continue;
    }
    origins.push(url.origin);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return origins;
}
