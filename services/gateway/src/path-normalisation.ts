/**
 * Why a request path cannot be made unambiguous. Stable values: the 400 problem names them as
 * `reason`, so clients and tests can tell the shapes apart.
 */
export type PathRefusalReason = 'not-absolute' | 'malformed-escape' | 'encoded-slash' | 'backslash' | 'control-character' | 'path-parameter' | 'fragment' | 'above-root';

export interface PathRefusal {
  readonly reason: PathRefusalReason;
  readonly detail: string;
}

const refusals: Readonly<Record<PathRefusalReason, PathRefusal>> = {
  'not-absolute': { reason: 'not-absolute', detail: 'The request target must be a path starting with /.' },
  'malformed-escape': { reason: 'malformed-escape', detail: 'The path contains a % that is not followed by two hexadecimal digits.' },
  'encoded-slash': { reason: 'encoded-slash', detail: 'The path contains an encoded slash (%2F), which services could read as a separator or as data; send the path without it.' },
  backslash: { reason: 'backslash', detail: 'The path contains a backslash (\\ or %5C), which some servers read as a separator; send the path without it.' },
  'control-character': { reason: 'control-character', detail: 'The path contains a control character (such as %00); send the path without it.' },
  'path-parameter': { reason: 'path-parameter', detail: 'The path contains ";", which some servers read as the start of path parameters; send the path without it.' },
  fragment: { reason: 'fragment', detail: 'The path contains "#"; a fragment is never sent to a server.' },
  'above-root': { reason: 'above-root', detail: 'The path\'s ".." segments climb above the root.' },
};

const slash = 0x2f;
const dot = 0x2e;
const percent = 0x25;
const backslash = 0x5c;
const semicolon = 0x3b;
const hash = 0x23;

/**
 * The one path the gateway decides on and forwards, as Envoy's `normalize_path` and
 * `merge_slashes` make it: percent-encoded unreserved characters (RFC 3986 §2.3: letters, digits,
 * `-._~`) decoded, the hex of every other escape upper-cased, `.` and `..` segments resolved
 * (encoded ones too), doubled slashes merged. Case is kept: paths are case-sensitive (RFC 3986
 * §6.2.2.1) and so is every service's router. What could still be read two ways by the servers
 * behind — an encoded slash or backslash, control characters, `;` path parameters, a fragment,
 * `..` above the root, a broken escape — is refused instead.
 *
 * An already-normal path (nearly every request) is returned as it is, after one scan that
 * allocates nothing.
 */
export function normalisePath(path: string): string | PathRefusal {
  return isAlreadyNormal(path) ? path : rebuild(path);
}

function isAlreadyNormal(path: string): boolean {
  if (path.charCodeAt(0) !== slash) return false;
  let previous = slash;
  for (let index = 1; index < path.length; index += 1) {
    const code = path.charCodeAt(index);
    if (code === slash) {
      if (previous === slash) return false;
    } else if (code === dot) {
      if (previous === slash && isDotSegmentAt(path, index)) return false;
    } else if (code === percent) {
      // An escape that stays as it is (upper-case hex of a character that is neither unreserved nor refused).
      const byte = escapedByte(path, index);
      if (byte < 0 || isUnreserved(byte) || refusalForByte(byte) !== undefined || isLowerHex(path.charCodeAt(index + 1)) || isLowerHex(path.charCodeAt(index + 2))) return false;
      index += 2;
    } else if (code === backslash || code === semicolon || code === hash || isControl(code)) {
      return false;
    }
    previous = code;
  }
  return true;
}

function rebuild(path: string): string | PathRefusal {
  if (path.charCodeAt(0) !== slash) return refusals['not-absolute'];
  const segments: string[] = [];
  let segment = '';
  // A path whose last segment is empty, `.` or `..` names a directory and keeps its trailing slash.
  let endsInSlash = false;
  for (let index = 1; index <= path.length; index += 1) {
    const code = index < path.length ? path.charCodeAt(index) : slash;
    if (code === slash) {
      if (segment === '..') {
        if (segments.pop() === undefined) return refusals['above-root'];
        endsInSlash = true;
      } else if (segment === '.' || segment === '') {
        endsInSlash = true;
      } else {
        segments.push(segment);
        endsInSlash = false;
      }
      segment = '';
    } else if (code === percent) {
      const byte = escapedByte(path, index);
      if (byte < 0) return refusals['malformed-escape'];
      const refusal = refusalForByte(byte);
      if (refusal) return refusal;
      segment += isUnreserved(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      index += 2;
    } else {
      const refusal = refusalForCharacter(code);
      if (refusal) return refusal;
      segment += path[index];
    }
  }
  if (segments.length === 0) return '/';
  return `/${segments.join('/')}${endsInSlash ? '/' : ''}`;
}

function isDotSegmentAt(path: string, index: number): boolean {
  const next = path.charCodeAt(index + 1);
  if (Number.isNaN(next) || next === slash) return true;
  if (next !== dot) return false;
  const afterNext = path.charCodeAt(index + 2);
  return Number.isNaN(afterNext) || afterNext === slash;
}

/** The byte a `%XX` escape at `index` stands for, or -1 when it is not one. */
function escapedByte(path: string, index: number): number {
  const high = hexValue(path.charCodeAt(index + 1));
  const low = hexValue(path.charCodeAt(index + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

function isLowerHex(code: number): boolean {
  return code >= 0x61 && code <= 0x66;
}

/** RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isUnreserved(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === dot || code === 0x5f || code === 0x7e;
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

function refusalForByte(byte: number): PathRefusal | undefined {
  if (byte === slash) return refusals['encoded-slash'];
  if (byte === backslash) return refusals.backslash;
  if (isControl(byte)) return refusals['control-character'];
  return undefined;
}

function refusalForCharacter(code: number): PathRefusal | undefined {
  if (code === backslash) return refusals.backslash;
  if (code === semicolon) return refusals['path-parameter'];
  if (code === hash) return refusals.fragment;
  if (isControl(code)) return refusals['control-character'];
  return undefined;
}
