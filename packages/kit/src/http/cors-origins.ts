/**
 * `*` (development: the literal wildcard, which browsers never combine with credentials) or an
 * explicit list, as CORS_ORIGINS gives them.
 */
export function corsOriginsFrom(setting: string): '*' | string[] {
  const origins = setting.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  return origins.includes('*') ? '*' : origins;
}
