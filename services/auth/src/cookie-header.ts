/**
 * The values of every cookie called `name` in a Cookie header (RFC 6265 §4.2: `name=value` pairs
 * separated by `;`), as sent, in order. A browser sends one pair per stored cookie, so the same
 * name appears twice when two cookies of that name match the request (another Path, or a parent
 * domain's): the caller sees all of them and decides, rather than this picking one.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() === name) values.push(pair.slice(separator + 1).trim());
  }
  return values;
}

/** The value of the one cookie called `name`; undefined when there is none or more than one. */
export function singleCookie(header: string | undefined, name: string): string | undefined {
  const values = cookieValues(header, name);
  return values.length === 1 ? values[0] : undefined;
}
