/**
 * A service's base URL: fixed, or chosen at each call (the gateway picks one of several instances).
 * Read it with `baseUrlOf` at the moment of the call, never once at construction.
 */
export type UrlSource = string | (() => string);

/** The URL now, without a trailing slash, so paths can be appended. */
export function baseUrlOf(source: UrlSource): string {
  return (typeof source === 'string' ? source : source()).replace(/\/$/, '');
}
