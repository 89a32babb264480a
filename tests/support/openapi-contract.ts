import type { LiveOpenApiDocument } from './live-openapi-documents.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const httpMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * The part of a served document that is the API contract, with every object's keys sorted so the
 * committed file diffs line by line. Left out: `info.version` (a release bump is not an API
 * change), and what the gateway says about its upstreams at this moment (`x-lift-sources` and
 * the description naming the services it could not reach) — runtime state, not contract.
 */
export function contractOf(document: LiveOpenApiDocument): JsonObject {
  const { info, ...rest } = document as unknown as JsonObject & { info: JsonObject };
  const { version: _version, ...infoWithoutVersion } = info;
  const contract: JsonObject = { ...rest, info: infoWithoutVersion };
  if ('x-lift-sources' in contract) {
    delete contract['x-lift-sources'];
    delete (contract.info as JsonObject).description;
  }
  return sortedKeys(contract) as JsonObject;
}

function sortedKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key] as Json)]),
  );
}

/** The snapshot file's text: two-space JSON with a final newline, as an editor would save it. */
export function snapshotText(contract: JsonObject): string {
  return `${JSON.stringify(contract, null, 2)}\n`;
}

/** `METHOD /path` → the operation, for every operation of a document. */
export function operationsOf(document: { readonly paths?: object }): Map<string, Json> {
  const operations = new Map<string, Json>();
  for (const [path, item] of Object.entries((document.paths ?? {}) as JsonObject)) {
    for (const [method, operation] of Object.entries(item as JsonObject)) {
      if (httpMethods.has(method)) operations.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return operations;
}

/**
 * What differs between the committed contract and the live one, one line per operation added,
 * removed or changed, then per other part (a component schema, the tags, the info): enough to
 * know what to review without reading two 5,000-line documents.
 */
export function contractChanges(committed: JsonObject, live: JsonObject): string[] {
  const changes: string[] = [];
  const before = operationsOf(committed);
  const after = operationsOf(live);
  for (const key of after.keys()) if (!before.has(key)) changes.push(`added ${key}`);
  for (const key of before.keys()) if (!after.has(key)) changes.push(`removed ${key}`);
  for (const [key, operation] of after) {
    if (before.has(key) && !sameJson(before.get(key), operation)) changes.push(`changed ${key}: ${differingFields(before.get(key) as JsonObject, operation as JsonObject).join(', ')}`);
  }
  for (const [section, entries] of Object.entries(componentsOf(live))) {
    const earlier = componentsOf(committed)[section] ?? {};
    for (const name of Object.keys(entries)) if (!(name in earlier)) changes.push(`added components.${section}.${name}`);
    for (const name of Object.keys(earlier)) if (!(name in entries)) changes.push(`removed components.${section}.${name}`);
    for (const name of Object.keys(entries)) if (name in earlier && !sameJson(earlier[name], entries[name])) changes.push(`changed components.${section}.${name}`);
  }
  for (const section of Object.keys(componentsOf(committed))) if (!(section in componentsOf(live))) changes.push(`removed components.${section}`);
  for (const key of new Set([...Object.keys(committed), ...Object.keys(live)])) {
    if (key !== 'paths' && key !== 'components' && !sameJson(committed[key], live[key])) changes.push(`changed ${key}`);
  }
  return changes;
}

function componentsOf(document: JsonObject): Record<string, JsonObject> {
  return (document.components ?? {}) as Record<string, JsonObject>;
}

/** The top-level fields of an operation that differ (`responses`, `parameters`, …). */
function differingFields(before: JsonObject, after: JsonObject): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => !sameJson(before[field], after[field]));
}

function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
