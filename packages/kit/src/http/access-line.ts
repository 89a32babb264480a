import { pino, type Bindings, type Logger } from 'pino';

/** What the access line says about a request, besides the request's own bindings. */
export interface AccessFields {
  readonly method: string;
  readonly url: string;
  readonly route: string | undefined;
  readonly status: number;
  readonly ms: number;
  readonly org: string | undefined;
  readonly upstream: string | undefined;
}

/** Writes the line and answers true, or answers false when the line must go through pino after all. */
export type AccessLineWriter = (bindings: Bindings, fields: AccessFields) => boolean;

const { lsCacheSym, chindingsSym, timeSym, streamSym, needsMetadataGsym, mixinSym, hooksSym, serializersSym, stringifiersSym, endSym, messageKeySym, nestedKeySym } = pino.symbols;
// In pino's symbols at run time, missing from its type declarations.
const { msgPrefixSym } = pino.symbols as unknown as { msgPrefixSym: symbol };
const infoLevel = 30;
const fieldNames: ReadonlySet<string> = new Set(['method', 'url', 'route', 'status', 'ms', 'org', 'upstream']);

/**
 * The access line at `info`, written as pino would write it — same level text, time, base
 * fields, key order and message, to the same destination — without pino's general path (a
 * serialiser lookup and a type switch per field, `formatters.log`, a write hook check): the line
 * is written for every request, and on the gateway pino's share of it was ~5 % of the CPU
 * (bench/gateway profile). `access-line.test.ts` holds it to pino's own output; the one known
 * difference is a lone UTF-16 surrogate in a short string, which pino (Node 20–24) writes raw and
 * this escapes — valid JSON either way, and not reachable from a request (Node refuses non-ASCII
 * in a URL, request ids are checked, organisations come from signed tokens). Undefined — the
 * caller logs through pino — when the logger has anything that changes a line: a mixin, a
 * stream-write hook, a message prefix, redaction, a serialiser, a nested key or another message
 * key, or a destination that wants metadata.
 */
export function accessLineWriter(log: Logger): AccessLineWriter | undefined {
  const internals = log as unknown as Record<symbol, unknown>;
  const levelText = (internals[lsCacheSym] as Record<number, string> | undefined)?.[infoLevel];
  const time = internals[timeSym] as (() => string) | undefined;
  const destination = internals[streamSym] as { write(line: string): unknown; [key: symbol]: unknown } | undefined;
  const hooks = internals[hooksSym] as { streamWrite?: unknown } | undefined;
  const serializers = internals[serializersSym] as Record<string, unknown> | undefined;
  const stringifiers = internals[stringifiersSym] as Record<string | symbol, unknown> | undefined;
  const end = internals[endSym];
  if (levelText === undefined || time === undefined || destination === undefined || destination[needsMetadataGsym] === true || typeof end !== 'string') return undefined;
  if (internals[mixinSym] || hooks?.streamWrite || internals[msgPrefixSym] || internals[nestedKeySym] || internals[messageKeySym] !== 'msg') return undefined;
  // pino's defaults: an `err` serialiser (error lines go through pino anyway) and no stringifiers.
  if (Object.keys(serializers ?? {}).some((name) => name !== 'err') || Reflect.ownKeys(stringifiers ?? {}).length > 0) return undefined;
  const message = `,"msg":"request completed"${end}`;
  return (bindings, fields) => {
    if (log.levelVal > infoLevel) return true;
    // The logger's `formatters.log` renames a field called service (logger.ts): pino does that.
    if ('service' in bindings) return false;
    // A binding named like a field: pino merges the two into one key.
    for (const key in bindings) if (fieldNames.has(key)) return false;
    // Read at each line: a child logger's bindings are fixed, but the base may be replaced by `setBindings`.
    let line = levelText + time() + (internals[chindingsSym] as string);
    for (const key in bindings) if (Object.hasOwn(bindings, key)) line += field(`,${plainJsonString.test(key) ? `"${key}"` : JSON.stringify(key)}:`, bindings[key]);
    line +=
      field(',"method":', fields.method) +
      field(',"url":', fields.url) +
      field(',"route":', fields.route) +
      field(',"status":', fields.status) +
      field(',"ms":', fields.ms) +
      field(',"org":', fields.org) +
      field(',"upstream":', fields.upstream);
    destination.write(line + message);
    return true;
  };
}

// Printable ASCII without `"` and `\\`: such a string is its own JSON between quotes.
const plainJsonString = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** As pino writes a field (`prefix` is `,"name":`): left out when undefined, a number that is not finite as null. */
function field(prefix: string, value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return prefix + (plainJsonString.test(value) ? `"${value}"` : JSON.stringify(value));
  if (typeof value === 'number') return prefix + (Number.isFinite(value) ? String(value) : 'null');
  return prefix + JSON.stringify(value);
}
