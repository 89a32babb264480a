/**
 * The console's session cookies (auth's `lift_refresh` and `lift_csrf`, and any later `lift_*`)
 * belong to the platform. A module behind the gateway is served from the same origin, so without
 * this it would receive them with every request and could plant its own (cookie tossing: a
 * `lift_refresh` of its choosing at the refresh route's path signs the person into another
 * session, a duplicate at a longer path locks them out). Modules keep their own cookies.
 */
const isPlatformCookieName = (name: string) => name.trim().toLowerCase().startsWith('lift_');

/** The Cookie header without the platform's cookies; undefined when none of the module's remain. */
export function withoutPlatformCookies(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const kept = [header]
    .flat()
    .flatMap((line) => line.split(';'))
    .filter((pair) => pair.trim() !== '' && !isPlatformCookieName(pair.split('=')[0] ?? ''));
  return kept.length === 0 ? undefined : kept.map((pair) => pair.trim()).join('; ');
}

/** An answer's Set-Cookie values without those that would set a platform cookie. */
export function withoutPlatformSetCookies(values: string | string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const kept = [values].flat().filter((value) => !isPlatformCookieName(value.split(/[=;]/)[0] ?? ''));
  return kept.length === 0 ? undefined : kept;
}
