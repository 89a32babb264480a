import fc from 'fast-check';
import type { Operation, SchemaObject } from './openapi-operations.js';

/** A request as sent on the wire: path and query exactly as written, headers, body text. */
export interface FuzzRequest {
  readonly method: string;
  /** The service's own path with its query (the gateway's adds the service prefix). */
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: string | undefined;
}

/**
 * Percent-encoding that also takes lone surrogates (encodeURIComponent throws on them): each is
 * written as the three bytes it would be in WTF-8, which is invalid UTF-8 on the wire — itself a
 * hostile input for the server's decoder.
 */
export function percentEncode(value: string): string {
  let encoded = '';
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else encoded += encodeURIComponent(character);
  }
  return encoded;
}

/** Strings that have broken parsers, queries, logs and path handling somewhere. */
const hostileStrings = [
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '\u0000',
  'a\u0000b',
  '\u202eevil',
  '\ud800',
  '😀'.repeat(64),
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '\r\nX-Injected: 1',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(400),
  'null',
  '[]',
  '{}',
  '%',
  '%zz',
  '%00',
  '__proto__',
  'constructor',
  'a'.repeat(70_000),
];

const hostileString = fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));

/** Nested arrays or objects this deep: parsers and validators that recurse have fallen over here. */
const deepNesting = fc.tuple(fc.integer({ min: 64, max: 3000 }), fc.boolean()).map(([depth, useArrays]) => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = useArrays ? [value] : { nested: value };
  return value;
});

const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  hostileString,
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
  fc.array(fc.constant('x'), { minLength: 5000, maxLength: 20_000 }),
  deepNesting,
);

const typeOf = (schema: SchemaObject): string | undefined => (Array.isArray(schema.type) ? (schema.type as string[]).find((type) => type !== 'null') : (schema.type as string | undefined));

/** A value that mostly fits the schema: the starting point that mutations then break in one place. */
export function plausible(schema: SchemaObject, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((alternative) => plausible(alternative, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return plausible({ type: 'object', properties: Object.assign({}, ...schema.allOf.map((part) => part.properties ?? {})), required: schema.allOf.flatMap((part) => part.required ?? []) }, depth + 1);
  switch (typeOf(schema)) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((date) => date.toISOString());
      return fc.string({ minLength: 1, maxLength: 24 });
    case 'integer':
      return fc.integer({ min: -5, max: 1000 });
    case 'number':
      return fc.double({ min: -5, max: 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausible(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object':
    default: {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, plausible(property, depth + 1)]));
      return fc.record(model, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
    }
  }
}

/** The schema's value broken in one way: a field of the wrong kind, one missing, one extra, or the whole replaced. */
function mutatedBody(schema: SchemaObject): fc.Arbitrary<unknown> {
  const base = plausible(schema);
  const names = Object.keys(schema.properties ?? {});
  const mutations: fc.Arbitrary<unknown>[] = [
    base,
    fc.tuple(base, fc.string({ minLength: 1, maxLength: 12 }), wrongTypeValue).map(([value, name, extra]) => (isRecord(value) ? { ...value, [name]: extra } : value)),
    base.map((value) => (isRecord(value) ? JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(value).slice(1)}`.replace(',}', '}')) : value)),
    fc.jsonValue({ maxDepth: 3 }),
    wrongTypeValue,
  ];
  if (names.length > 0) {
    mutations.push(
      fc.tuple(base, fc.constantFrom(...names), wrongTypeValue).map(([value, name, wrong]) => (isRecord(value) ? { ...value, [name]: wrong } : value)),
      fc.tuple(base, fc.constantFrom(...names)).map(([value, name]) => {
        if (!isRecord(value)) return value;
        const { [name]: _dropped, ...rest } = value;
        return rest;
      }),
    );
  }
  return fc.oneof(...mutations);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const malformedBodies = ['{', '{"a":', 'not json', '[1,2', '{"a":1}{"b":2}', '\u0000', '{"a":"\\ud800"}', '\ufeff{}', `{"a":"${'x'.repeat(200_000)}"}`, 'null', '""', '0'];

/**
 * A path parameter: an id of the right shape, or something hostile, percent-encoded or written raw
 * — or, when given, the id of an object that exists, so that hostile queries and bodies get past
 * the lookup to the code that updates it.
 */
function pathValue(existing: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uuid().map((id) => id),
    hostileString.map((value) => percentEncode(value)),
    fc.constantFrom('..', '.', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2f', '%5c', '%', '%zz', '%00', 'a;b', 'x%0d%0aSet-Cookie:%20a=b'),
    ...(existing.length > 0 ? [fc.constantFrom(...existing.map((id) => encodeURIComponent(id)))] : []),
  );
}

function queryFor(operation: Operation): fc.Arbitrary<string> {
  const entries = operation.queryParameters.map(({ name, schema }) =>
    fc.option(
      fc.oneof(
        plausible(schema).map((value) => [[name, typeof value === 'string' ? value : JSON.stringify(value)]]),
        hostileString.map((value) => [[name, value]]),
        // The same parameter twice: frameworks disagree on what that means.
        fc.tuple(hostileString, hostileString).map(([first, second]) => [
          [name, first],
          [name, second],
        ]),
      ),
      { nil: [] },
    ),
  );
  const unknown = fc.option(hostileString.map((value) => [['unknownParameter', value]]), { nil: [] });
  return fc.tuple(...entries, unknown).map((lists) => {
    const pairs = (lists as string[][][]).flat();
    return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${percentEncode(name ?? '')}=${percentEncode(value ?? '')}`).join('&')}`;
  });
}

const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', '*/*', 'application/json, text/html') },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/**
 * Requests for one operation: its path parameters, query and body, broken in seeded ways.
 * `existing` ids of objects that exist, by path parameter name.
 */
export function fuzzRequests(operation: Operation, existing: Readonly<Record<string, readonly string[]>> = {}): fc.Arbitrary<FuzzRequest> {
  const path = fc.tuple(...operation.pathParameters.map((name) => pathValue(existing[name] ?? []))).map((values) => values.reduce((filled, value, index) => filled.replace(`{${operation.pathParameters[index] ?? ''}}`, value), operation.template));
  const sendsBody = operation.body !== undefined || operation.method === 'POST' || operation.method === 'PUT' || operation.method === 'PATCH';
  const body: fc.Arbitrary<string | undefined> = sendsBody
    ? fc.oneof({ weight: 5, arbitrary: mutatedBody(operation.body ?? { type: 'object' }).map((value) => JSON.stringify(value) ?? 'null') }, { weight: 1, arbitrary: fc.constantFrom(...malformedBodies) })
    : fc.constant(undefined);
  return fc.record({ path, query: queryFor(operation), contentType: contentTypes, body }).map(({ path: filled, query, contentType, body: text }) => ({
    method: operation.method,
    path: `${filled}${query}`,
    contentType: text === undefined ? undefined : contentType,
    body: text,
  }));
}
